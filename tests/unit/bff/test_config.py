"""The BFF's configuration fails fast and keeps cookies safe."""

import pytest

from bff.config import REQUIRED, Config, ConfigError, parse_routes

FULL_ENV = {
    "OIDC_ISSUER": "https://idp.example/",
    "OIDC_CLIENT_ID": "bff",
    "OIDC_CLIENT_SECRET": "s",
    "OIDC_SCOPE": "openid",
    "BFF_URL": "https://app.example",
    "API_URL": "https://api.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECRET_KEY": "k",
}


@pytest.mark.parametrize("name", REQUIRED)
def test_missing_required_variable_stops_startup_naming_it(name):
    env = {key: value for key, value in FULL_ENV.items() if key != name}
    with pytest.raises(ConfigError, match=name):
        Config.from_env(env)


def test_redirect_uri_is_bff_url_plus_callback_and_issuer_loses_trailing_slash():
    config = Config.from_env(FULL_ENV)
    assert config.redirect_uri == "https://app.example/bff/callback"
    assert config.oidc_issuer == "https://idp.example"


def test_https_bff_gets_host_prefixed_secure_cookie():
    config = Config.from_env(FULL_ENV)
    assert config.secure_cookies and config.cookie_name == "__Host-bff-session"


def test_plain_http_is_refused_off_localhost():
    with pytest.raises(ConfigError, match="https"):
        Config.from_env(FULL_ENV | {"BFF_URL": "http://app.example"})


def test_plain_http_localhost_works_with_a_warning(caplog):
    config = Config.from_env(FULL_ENV | {"BFF_URL": "http://localhost:8000"})
    assert not config.secure_cookies and config.cookie_name == "bff-session"
    assert "not Secure" in caplog.text


def test_api_routes_parse_into_method_and_prefix():
    routes = parse_routes("get /events, DELETE /events/")
    assert routes == (("GET", "/events"), ("DELETE", "/events/"))


def test_api_route_without_a_path_is_refused():
    with pytest.raises(ConfigError, match="BFF_API_ROUTES"):
        parse_routes("GET events")


def test_redis_sentinels_replace_redis_url():
    env = {k: v for k, v in FULL_ENV.items() if k != "REDIS_URL"}
    config = Config.from_env(env | {"REDIS_SENTINELS": "10.0.0.1:26379, s2:26380"})
    assert config.redis_sentinels == (("10.0.0.1", 26379), ("s2", 26380))


def test_malformed_sentinel_address_is_refused():
    with pytest.raises(ConfigError, match="REDIS_SENTINELS"):
        Config.from_env(FULL_ENV | {"REDIS_SENTINELS": "no-port"})


def test_a_dotenv_file_is_read_and_the_process_environment_wins_over_it(tmp_path, monkeypatch):
    dotenv = "\n".join(f"{name}={value}" for name, value in FULL_ENV.items())
    (tmp_path / ".env").write_text(
        dotenv + "\nOIDC_SCOPE=from-dotenv\nOIDC_CLIENT_ID=from-dotenv\n"
    )
    monkeypatch.chdir(tmp_path)
    for name in FULL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OIDC_CLIENT_ID", "from-process")
    config = Config.from_env()
    assert config.scope == "from-dotenv" and config.client_id == "from-process"


def test_a_given_mapping_is_the_only_source(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("OIDC_SCOPE=from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OIDC_CLIENT_ID", "from-process")
    config = Config.from_env(FULL_ENV)
    assert (config.scope, config.client_id) == ("openid", "bff")


def test_a_variable_left_out_of_a_given_mapping_is_missing_even_if_the_process_has_it(
    monkeypatch,
):
    monkeypatch.setenv("SECRET_KEY", "from-process")
    with pytest.raises(ConfigError, match="missing required environment variable.*SECRET_KEY"):
        Config.from_env({k: v for k, v in FULL_ENV.items() if k != "SECRET_KEY"})


def test_every_unusable_value_is_named_on_its_own_line():
    env = FULL_ENV | {"SESSION_IDLE_SECONDS": "soon", "BFF_MAX_PENDING_LOGINS": "many"}
    with pytest.raises(ConfigError) as refused:
        Config.from_env({k: v for k, v in env.items() if k != "SECRET_KEY"})
    lines = str(refused.value).splitlines()
    assert lines[0] == "missing required environment variable(s): SECRET_KEY"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "SESSION_IDLE_SECONDS",
        "BFF_MAX_PENDING_LOGINS",
    ]


def test_an_empty_required_value_counts_as_missing():
    with pytest.raises(ConfigError, match="missing required environment variable.*OIDC_SCOPE"):
        Config.from_env(FULL_ENV | {"OIDC_SCOPE": ""})


def test_sentinel_setups_wait_for_one_replica_by_default():
    env = {k: v for k, v in FULL_ENV.items() if k != "REDIS_URL"} | {"REDIS_SENTINELS": "s:26379"}
    assert Config.from_env(env).redis_wait_replicas == 1
    assert Config.from_env(FULL_ENV).redis_wait_replicas == 0
    assert Config.from_env(FULL_ENV | {"BFF_REDIS_WAIT_REPLICAS": "2"}).redis_wait_replicas == 2


def test_the_idp_timeout_is_ten_seconds_unless_set_and_must_be_positive():
    assert Config.from_env(FULL_ENV).idp_timeout_seconds == 10
    assert Config.from_env(FULL_ENV | {"BFF_IDP_TIMEOUT_SECONDS": "2.5"}).idp_timeout_seconds == 2.5
    for unusable in ("0", "-1", "soon"):
        with pytest.raises(ConfigError, match="BFF_IDP_TIMEOUT_SECONDS"):
            Config.from_env(FULL_ENV | {"BFF_IDP_TIMEOUT_SECONDS": unusable})
