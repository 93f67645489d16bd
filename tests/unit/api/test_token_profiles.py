"""API_TOKEN_PROFILE: each provider's access tokens are accepted, its ID tokens never are."""

import pytest

from api import create_app
from api.config import Config, ConfigError

from .fake_issuer import AUDIENCE, bearer, forge
from .provider_shapes import SHAPES

PROFILES = list(SHAPES)


@pytest.fixture(params=PROFILES)
def shape(request, issuer):
    """One provider's shapes, with the fake issuer speaking that provider's issuer URL."""
    shape = SHAPES[request.param]
    issuer.identifier = shape.issuer(issuer.url)
    return shape


def api_config(issuer_url, tmp_path, **env):
    """The API's configuration from these environment variables alone."""
    base = {
        "OIDC_ISSUER": issuer_url,
        "API_AUDIENCE": AUDIENCE,
        "API_DB_PATH": str(tmp_path / "a.db"),
    }
    return Config.from_env(base | env)


@pytest.fixture
def client(shape, issuer, tmp_path):
    config = Config.from_env(
        {
            "OIDC_ISSUER": issuer.identifier,
            "API_AUDIENCE": AUDIENCE,
            "API_DB_PATH": str(tmp_path / "api.sqlite3"),
            "API_TOKEN_PROFILE": shape.name,
        }
    )
    return create_app(config).test_client()


def call(client, issuer, shape, claims, path="/events", header=None):
    token = issuer.mint(header=shape.header | (header or {}), **claims)
    return client.get(path, headers=bearer(token))


def test_profile_accepts_the_providers_user_access_token(client, issuer, shape):
    assert call(client, issuer, shape, shape.user()).status_code == 200


def test_profile_reads_scopes_from_the_providers_claim(client, issuer, shape):
    response = call(client, issuer, shape, shape.user(scope="calendar:write"))
    assert response.status_code == 403
    assert 'scope="calendar:read"' in response.headers["WWW-Authenticate"]


def test_profile_accepts_the_providers_client_credentials_token(client, issuer, shape):
    response = call(client, issuer, shape, shape.service(), path="/reminders/upcoming")
    assert response.status_code == 200


def test_profile_tells_service_tokens_from_user_tokens(client, issuer, shape):
    assert call(client, issuer, shape, shape.service()).status_code == 403
    user = shape.user(scope="calendar:reminders")
    assert call(client, issuer, shape, user, path="/reminders/upcoming").status_code == 403


def refused(response, words: str) -> bool:
    return (
        response.status_code == 401
        and response.get_json()["error"] == "invalid_token"
        and words in response.get_json()["error_description"]
    )


def test_profile_refuses_an_id_token_of_the_same_provider(client, issuer, shape):
    assert call(client, issuer, shape, shape.id_token()).status_code == 401


@pytest.mark.parametrize("claim", ["nonce", "at_hash", "c_hash"])
def test_profile_refuses_a_token_with_an_id_token_only_claim(client, issuer, shape, claim):
    # Even with this API as audience: a nonce or at_hash makes it an ID token.
    response = call(client, issuer, shape, shape.user() | {claim: "x"})
    assert refused(response, "ID token")


def test_profile_refuses_a_token_whose_audience_is_its_own_client(client, issuer, shape):
    response = call(client, issuer, shape, shape.user() | {"aud": [AUDIENCE, "calendar-bff"]})
    assert refused(response, "own client")


def test_profile_refuses_a_token_for_another_audience(client, issuer, shape):
    response = call(client, issuer, shape, shape.user() | {"aud": "another-api"})
    assert refused(response, "aud")


def test_profile_refuses_a_token_from_another_tenant_or_realm(client, issuer, shape):
    other = issuer.url + shape.other_issuer_path
    assert refused(call(client, issuer, shape, shape.user() | {"iss": other}), "iss")


def test_profile_refuses_a_token_without_the_providers_access_token_claims(client, issuer, shape):
    profile_markers = {
        "keycloak": ["scope"],
        "entra": ["scp"],
        "auth0": ["scope"],
        "okta": ["cid"],
    }
    claims = shape.user() | dict.fromkeys(profile_markers[shape.name])
    assert call(client, issuer, shape, claims).status_code == 401


@pytest.mark.parametrize("typ", ["id+jwt", "JOSE", "logout+jwt"])
def test_profile_refuses_a_typ_that_names_another_kind_of_token(client, issuer, shape, typ):
    assert call(client, issuer, shape, shape.user(), header={"typ": typ}).status_code == 401


def test_profile_keeps_the_rfc8725_algorithm_allow_list(client, issuer, shape):
    header = {"alg": "none", "typ": "JWT", "kid": issuer.signing_kid}
    token = forge(header, issuer.claims(**shape.user()))
    assert client.get("/events", headers=bearer(token)).status_code == 401


def test_entra_profile_refuses_a_v1_token(issuer, tmp_path):
    shape = SHAPES["entra"]
    issuer.identifier = shape.issuer(issuer.url)
    config = api_config(issuer.identifier, tmp_path, API_TOKEN_PROFILE="entra")
    client = create_app(config).test_client()
    # v1.0 tokens carry appid, not azp, and ver "1.0" (access token claims reference).
    claims = shape.user() | {"ver": "1.0", "azp": None, "appid": "calendar-bff"}
    assert call(client, issuer, shape, claims).status_code == 401


def test_auth0_profile_reads_rbac_permissions(issuer, tmp_path):
    shape = SHAPES["auth0"]
    issuer.identifier = shape.issuer(issuer.url)
    config = api_config(issuer.identifier, tmp_path, API_TOKEN_PROFILE="auth0")
    client = create_app(config).test_client()
    claims = shape.user(scope="") | {"scope": "openid", "permissions": ["calendar:read"]}
    assert call(client, issuer, shape, claims).status_code == 200


def test_rfc9068_profile_still_refuses_typ_jwt(issuer, tmp_path):
    client = create_app(api_config(issuer.url, tmp_path)).test_client()
    response = client.get("/events", headers=bearer(issuer.mint(header={"typ": "JWT"})))
    assert response.status_code == 401


ENV = {"API_AUDIENCE": "calendar-api"}


@pytest.mark.parametrize(
    ("profile", "issuer"),
    [
        ("keycloak", "https://sso.example.com/realms/calendar"),
        ("keycloak", "https://sso.example.com/auth/realms/calendar"),
        ("entra", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"),
        ("auth0", "https://calendar.eu.auth0.com/"),
        ("okta", "https://calendar.okta.com/oauth2/default"),
        ("okta", "https://calendar.okta.com/oauth2/aus1a2b3c4"),
    ],
)
def test_api_token_profile_accepts_the_providers_issuer_shape(profile, issuer):
    env = ENV | {"API_TOKEN_PROFILE": profile, "OIDC_ISSUER": issuer}
    assert Config.from_env(env).token_profile == profile


@pytest.mark.parametrize(
    ("profile", "issuer"),
    [
        ("keycloak", "https://sso.example.com"),
        ("entra", "https://login.microsoftonline.com/common/v2.0"),
        ("entra", "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"),
        ("auth0", "https://calendar.eu.auth0.com"),
        ("okta", "https://calendar.okta.com"),
    ],
)
def test_api_token_profile_refuses_another_issuer_shape_at_start(profile, issuer):
    env = ENV | {"API_TOKEN_PROFILE": profile, "OIDC_ISSUER": issuer}
    with pytest.raises(ConfigError, match="OIDC_ISSUER"):
        Config.from_env(env)


def test_api_token_profile_must_be_known():
    env = ENV | {"API_TOKEN_PROFILE": "cognito", "OIDC_ISSUER": "https://x"}
    with pytest.raises(ConfigError, match="API_TOKEN_PROFILE"):
        Config.from_env(env)


def test_api_token_profile_defaults_to_strict_rfc9068():
    assert Config.from_env(ENV | {"OIDC_ISSUER": "https://x"}).token_profile == "rfc9068"
