"""Configuration is read once from the environment and fails fast, naming what is missing."""

import pytest
from idp_mock.config import DEFAULT_CONFIG_FILE, Config, ConfigError
from idp_mock.registry import Registry, expand_env


@pytest.mark.parametrize("missing", ["IDP_ISSUER", "REDIS_URL"])
def test_missing_required_variable_is_named(missing):
    env = {"IDP_ISSUER": "http://127.0.0.1:8002", "REDIS_URL": "redis://127.0.0.1:1/0"}
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        Config.from_env(env)


def test_issuer_with_trailing_slash_is_refused():
    with pytest.raises(ConfigError, match="IDP_ISSUER"):
        Config.from_env({"IDP_ISSUER": "http://127.0.0.1:8002/", "REDIS_URL": "redis://x"})


def test_optional_variables_have_documented_defaults():
    config = Config.from_env({"IDP_ISSUER": "http://127.0.0.1:8002", "REDIS_URL": "redis://x"})
    assert config.config_file == DEFAULT_CONFIG_FILE
    assert config.keys_dir.parts[-2:] == ("var", "idp-keys")
    assert config.test_controls is False


def test_demo_config_has_the_contracted_users_clients_and_lifetimes():
    registry = Registry.load(DEFAULT_CONFIG_FILE)
    assert registry.lifetimes.access_token == 300
    assert registry.lifetimes.authorization_code == 60
    assert {"alice", "bob"} <= set(registry.users)
    assert registry.users["alice"].sub != "alice"
    assert {"calendar-bff", "reminder-job", "calendar-api"} <= set(registry.clients)
    assert registry.audiences("openid calendar:read calendar:write") == ["calendar-api"]


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="IDP_CONFIG"):
        Registry.load(tmp_path / "absent.yaml")


def test_config_file_takes_environment_references_with_defaults():
    text = "a: ${IDP_TEST_ORIGIN:-http://localhost:8000}/x\nb: ${IDP_TEST_SET}\n"
    expanded = expand_env(text, {"IDP_TEST_SET": "from-env"})
    assert expanded == "a: http://localhost:8000/x\nb: from-env\n"


def test_config_file_reference_without_default_must_be_set():
    with pytest.raises(ConfigError, match="IDP_TEST_UNSET"):
        expand_env("a: ${IDP_TEST_UNSET}", {})


ENV = {"IDP_ISSUER": "http://127.0.0.1:8002", "REDIS_URL": "redis://127.0.0.1:1/0"}


def test_dotenv_file_is_read_and_the_process_environment_wins(tmp_path, monkeypatch):
    for name in [*ENV, "IDP_BANNER", "IDP_TEST_CONTROLS", "IDP_PROFILE"]:
        monkeypatch.delenv(name, raising=False)
    lines = [f"{name}={value}" for name, value in ENV.items()]
    (tmp_path / ".env").write_text(
        "\n".join([*lines, "IDP_BANNER=from dotenv", "IDP_TEST_CONTROLS=1"])
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDP_BANNER", "from the environment")
    config = Config.from_env()
    assert config.issuer == ENV["IDP_ISSUER"] and config.test_controls is True
    assert config.banner == "from the environment"


def test_given_mapping_is_the_only_source(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("IDP_TEST_CONTROLS=1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDP_PROFILE", "okta")
    config = Config.from_env(ENV)
    assert (config.test_controls, config.profile) == (False, "standard")


@pytest.mark.parametrize(
    ("name", "value"),
    [("IDP_PROFILE", "ping"), ("IDP_TEST_CONTROLS", "perhaps"), ("IDP_ISSUER", "idp.example")],
)
def test_malformed_variable_is_named(name, value):
    with pytest.raises(ConfigError, match=name):
        Config.from_env(ENV | {name: value})


def test_every_offending_variable_is_named_on_its_own_line():
    with pytest.raises(ConfigError) as failed:
        Config.from_env({"IDP_PROFILE": "ping"})
    lines = str(failed.value).splitlines()
    assert [line.split()[-1] for line in lines[:2]] == ["IDP_ISSUER", "REDIS_URL"]
    assert lines[2].startswith("IDP_PROFILE")
