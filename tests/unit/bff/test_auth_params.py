"""OIDC_AUTH_PARAMS: a provider's extra authorization parameters, by configuration only."""

from urllib.parse import parse_qs, urlsplit

import pytest

from bff import create_app
from bff.config import Config, ConfigError

from .conftest import make_config
from .test_config import FULL_ENV


def test_auth_params_default_to_none():
    assert Config.from_env(FULL_ENV).auth_params == ()


def test_auth_params_are_read_as_a_query_string():
    env = FULL_ENV | {"OIDC_AUTH_PARAMS": "audience=https%3A%2F%2Fapi.example&prompt=login"}
    assert Config.from_env(env).auth_params == (
        ("audience", "https://api.example"),
        ("prompt", "login"),
    )


@pytest.mark.parametrize("text", ["audience", "a=1&&b"])
def test_malformed_auth_params_stop_startup(text):
    with pytest.raises(ConfigError, match="OIDC_AUTH_PARAMS"):
        Config.from_env(FULL_ENV | {"OIDC_AUTH_PARAMS": text})


@pytest.mark.parametrize("name", ["state", "code_challenge_method", "redirect_uri", "scope"])
def test_auth_params_cannot_override_what_the_bff_sets(name):
    with pytest.raises(ConfigError, match=name):
        Config.from_env(FULL_ENV | {"OIDC_AUTH_PARAMS": f"{name}=x"})


def test_auth0_audience_is_sent_on_the_authorization_request(redis_url, api_server):
    # Auth0: "When the audience is omitted, it defaults to the tenant's GET /userinfo endpoint.
    # Consequently, an opaque token is issued":
    # https://support.auth0.com/center/s/article/value-of-the-audience-attribute-in-access-token-requests-and-its-significance
    config = make_config(redis_url, api_server.url, auth_params=(("audience", "calendar-api"),))
    response = create_app(config).test_client().get("/bff/login")
    params = parse_qs(urlsplit(response.headers["Location"]).query)
    assert params["audience"] == ["calendar-api"]
    assert params["code_challenge_method"] == ["S256"]
