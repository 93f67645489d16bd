"""Start-up and the unauthenticated surface: configuration, health, JSON errors."""

import pytest

from api import create_app
from api.config import Config, ConfigError
from devstack.ports import free_port

ENV = {"OIDC_ISSUER": "http://127.0.0.1:8002", "API_AUDIENCE": "calendar-api"}


@pytest.mark.parametrize("missing", ["OIDC_ISSUER", "API_AUDIENCE"])
def test_config_missing_required_variable_fails_naming_it(missing):
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        Config.from_env(env)


def test_config_introspection_mode_requires_the_apis_credentials():
    with pytest.raises(ConfigError, match="API_CLIENT_ID"):
        Config.from_env({**ENV, "API_TOKEN_MODE": "introspection"})


@pytest.mark.parametrize(
    ("name", "value"), [("API_TOKEN_MODE", "magic"), ("API_LEEWAY_SECONDS", "-5")]
)
def test_config_invalid_value_fails_naming_it(name, value):
    with pytest.raises(ConfigError, match=name):
        Config.from_env({**ENV, name: value})


def test_config_defaults_put_the_database_under_var():
    config = Config.from_env(ENV)
    assert config.db_path.parts[-2:] == ("var", "api.sqlite3")
    assert config.token_mode == "jwt"


def test_healthz_answers_without_a_token_and_without_the_issuer(client, issuer):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert sum(issuer.hits.values()) == 0


def test_api_starts_before_the_issuer_and_discovers_it_on_first_use(client, issuer):
    assert sum(issuer.hits.values()) == 0
    client.get("/events", headers={"Authorization": f"Bearer {issuer.user_token()}"})
    assert issuer.hits["/.well-known/openid-configuration"] == 1
    assert issuer.hits["/jwks"] == 1


def test_oidc_discovery_issuer_with_trailing_slash_is_matched_exactly(config, issuer):
    issuer.identifier = issuer.url + "/"
    client = create_app(config.model_copy(update=dict(issuer=issuer.identifier))).test_client()
    response = client.get("/events", headers={"Authorization": f"Bearer {issuer.user_token()}"})
    assert response.status_code == 200
    assert issuer.hits["/.well-known/openid-configuration"] == 1


def test_oidc_discovery_document_naming_another_issuer_is_refused(config, issuer):
    issuer.identifier = "http://impostor.example"
    response = (
        create_app(config)
        .test_client()
        .get("/events", headers={"Authorization": f"Bearer {issuer.user_token()}"})
    )
    assert response.status_code == 503


def test_unreachable_issuer_is_503_not_401(config, issuer):
    offline = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = create_app(config.model_copy(update={"issuer": offline})).test_client()
    response = client.get("/events", headers={"Authorization": f"Bearer {issuer.mint()}"})
    assert response.status_code == 503
    assert response.get_json()["error"] == "temporarily_unavailable"


@pytest.mark.parametrize(
    ("method", "path", "status"), [("get", "/nowhere", 404), ("put", "/events", 405)]
)
def test_unknown_routes_answer_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.is_json and "error" in response.get_json()


def test_config_reads_a_dotenv_file_and_the_process_environment_wins(tmp_path, monkeypatch):
    for name in (*ENV, "API_LEEWAY_SECONDS", "API_TOKEN_MODE", "API_TRAINER_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "OIDC_ISSUER=http://127.0.0.1:8002\nAPI_AUDIENCE=from-dotenv\nAPI_LEEWAY_SECONDS=7\n"
    )
    monkeypatch.setenv("API_AUDIENCE", "from-environment")
    config = Config.from_env()
    assert (config.issuer, config.leeway_seconds) == ("http://127.0.0.1:8002", 7)
    assert config.audience == "from-environment"


def test_config_from_a_mapping_reads_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("API_LEEWAY_SECONDS=7\n")
    monkeypatch.setenv("API_TRAINER_MODE", "1")
    config = Config.from_env(ENV)
    assert (config.leeway_seconds, config.trainer_mode) == (30, False)


def test_config_names_every_wrong_variable_one_line_each():
    with pytest.raises(ConfigError) as error:
        Config.from_env({"API_TOKEN_MODE": "magic", "API_JWKS_CACHE_SECONDS": "soon"})
    lines = str(error.value).splitlines()
    for name in ("OIDC_ISSUER", "API_AUDIENCE", "API_TOKEN_MODE", "API_JWKS_CACHE_SECONDS"):
        assert sum(name in line for line in lines) == 1, (name, lines)


def test_config_does_not_show_the_client_secret():
    env = {**ENV, "API_TOKEN_MODE": "introspection", "API_CLIENT_ID": "api"}
    config = Config.from_env({**env, "API_CLIENT_SECRET": "s3cret-value"})
    assert "s3cret-value" not in repr(config)
