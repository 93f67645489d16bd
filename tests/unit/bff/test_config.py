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
