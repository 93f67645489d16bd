"""IDP_PROFILE: idp-mock speaks Keycloak's, Entra ID's, Auth0's and Okta's dialect.

Every expected shape below is the provider's documented one; the pages are cited in
idp_mock/profiles.py next to the dialect that encodes them, and repeated here per test.
"""

import pytest
from idp_mock import create_app
from idp_mock.config import Config, ConfigError
from idp_mock.current import idp
from joserfc import jws

from .conftest import ISSUER, Flow, verify

REMINDER_AUTH = ("reminder-job", "reminder-job-secret")


def dialect_client(config, profile):
    return create_app(config.model_copy(update={"profile": profile})).test_client()


@pytest.fixture
def keycloak(config):
    return dialect_client(config, "keycloak")


@pytest.fixture
def entra(config):
    return dialect_client(config, "entra")


@pytest.fixture
def auth0(config):
    return dialect_client(config, "auth0")


@pytest.fixture
def okta(config):
    return dialect_client(config, "okta")


def service_token(client, token_path: str) -> tuple[dict, dict]:
    response = client.post(
        token_path,
        data={"grant_type": "client_credentials", "scope": "calendar:reminders"},
        auth=REMINDER_AUTH,
    )
    assert response.status_code == 200, response.get_json()
    return header_and_claims(client, response.get_json()["access_token"])


def header_and_claims(client, token: str) -> tuple[dict, dict]:
    header = dict(jws.extract_compact(token.encode()).headers())
    return header, verify(client, token).claims


def user_token(client) -> tuple[dict, dict]:
    """alice's access token through the real login and consent pages."""
    return header_and_claims(client, Flow(client).tokens()["access_token"])


# --- Keycloak: https://www.keycloak.org/docs/latest/securing_apps/#_oidc-available-endpoints


def test_keycloak_dialect_issuer_is_the_realm_and_endpoints_are_under_protocol(keycloak):
    document = keycloak.get("/realms/demo/.well-known/openid-configuration").get_json()
    base = f"{ISSUER}/realms/demo"
    assert document["issuer"] == base
    assert document["authorization_endpoint"] == f"{base}/protocol/openid-connect/auth"
    assert document["token_endpoint"] == f"{base}/protocol/openid-connect/token"
    assert document["jwks_uri"] == f"{base}/protocol/openid-connect/certs"
    assert document["introspection_endpoint"] == f"{base}/protocol/openid-connect/token/introspect"
    assert document["revocation_endpoint"] == f"{base}/protocol/openid-connect/revoke"
    assert document["end_session_endpoint"] == f"{base}/protocol/openid-connect/logout"


def test_keycloak_dialect_access_tokens_name_the_client_in_azp(keycloak):
    header, claims = service_token(keycloak, "/realms/demo/protocol/openid-connect/token")
    # typ JWT: not in Keycloak's documentation (issue report).
    assert header["typ"] == "JWT"
    assert claims["azp"] == "reminder-job" and "client_id" not in claims
    assert claims["iss"] == f"{ISSUER}/realms/demo"
    assert claims["scope"] == "calendar:reminders"
    assert "sid" not in claims  # a service account has no user session


# --- Entra ID v2.0: https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_entra_dialect_discovery_has_no_revocation_introspection_or_backchannel(entra):
    document = entra.get(f"/{TENANT}/v2.0/.well-known/openid-configuration").get_json()
    assert document["issuer"] == f"{ISSUER}/{TENANT}/v2.0"
    assert document["token_endpoint"] == f"{ISSUER}/{TENANT}/oauth2/v2.0/token"
    assert document["jwks_uri"] == f"{ISSUER}/{TENANT}/discovery/v2.0/keys"
    assert document["end_session_endpoint"] == f"{ISSUER}/{TENANT}/oauth2/v2.0/logout"
    assert document["token_endpoint_auth_methods_supported"] == ["client_secret_post"]
    left_out = ("revocation_endpoint", "introspection_endpoint", "backchannel_logout_supported")
    assert not set(left_out) & set(document)


def test_entra_dialect_left_out_endpoints_do_not_answer(entra):
    assert entra.post("/revoke", data={"token": "x"}).status_code == 404
    assert entra.post("/introspect", data={"token": "x"}).status_code == 404


def test_entra_dialect_app_only_token_carries_roles_not_scp(entra):
    # https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
    header, claims = service_token(entra, f"/{TENANT}/oauth2/v2.0/token")
    assert header["typ"] == "JWT"
    assert claims["roles"] == ["calendar:reminders"] and "scp" not in claims
    assert claims["azp"] == "reminder-job" and claims["ver"] == "2.0"
    assert claims["tid"] == TENANT and "uti" in claims
    assert not {"client_id", "scope", "jti"} & set(claims)


def test_entra_dialect_user_token_carries_scp_as_a_string_of_api_scopes(entra):
    header, claims = user_token(entra)
    assert claims["scp"] == "calendar:read calendar:write"
    assert "roles" not in claims


# --- Auth0: https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles


def test_auth0_dialect_issuer_ends_with_a_slash(auth0):
    document = auth0.get("/.well-known/openid-configuration").get_json()
    assert document["issuer"] == f"{ISSUER}/"
    # https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens
    assert document["revocation_endpoint"] == f"{ISSUER}/oauth/revoke"
    # https://auth0.com/docs/api/authentication/logout/oidc-logout
    assert document["end_session_endpoint"] == f"{ISSUER}/oidc/logout"


def test_auth0_dialect_user_token_has_azp_scope_permissions_and_userinfo_audience(auth0):
    header, claims = user_token(auth0)
    assert claims["iss"] == f"{ISSUER}/"
    assert claims["azp"] == "calendar-bff" and "client_id" not in claims
    assert claims["aud"] == ["calendar-api", f"{ISSUER}/userinfo"]
    assert claims["permissions"] == ["calendar:read", "calendar:write"]


# --- Okta: https://developer.okta.com/docs/reference/api/oidc/


def test_okta_dialect_endpoints_live_under_the_authorization_server(okta):
    document = okta.get("/oauth2/default/.well-known/openid-configuration").get_json()
    base = f"{ISSUER}/oauth2/default"
    assert document["issuer"] == base
    assert document["authorization_endpoint"] == f"{base}/v1/authorize"
    assert document["jwks_uri"] == f"{base}/v1/keys"
    assert document["end_session_endpoint"] == f"{base}/v1/logout"


def test_okta_dialect_access_token_has_no_typ_cid_uid_and_scp_array(okta):
    header, claims = user_token(okta)
    assert "typ" not in header
    assert claims["cid"] == "calendar-bff" and claims["uid"] == claims["sub"]
    assert claims["scp"] == ["openid", "profile", "email", "offline_access"] + [
        "calendar:read",
        "calendar:write",
    ]
    assert claims["ver"] == 1


def test_okta_dialect_service_token_has_no_uid(okta):
    header, claims = service_token(okta, "/oauth2/default/v1/token")
    assert "uid" not in claims and claims["sub"] == claims["cid"] == "reminder-job"


# --- all dialects


@pytest.mark.parametrize("profile", ["keycloak", "entra", "auth0", "okta"])
def test_every_dialect_id_token_keeps_the_client_as_audience(config, profile):
    client = dialect_client(config, profile)
    tokens = Flow(client).tokens()
    claims = verify(client, tokens["id_token"]).claims
    assert claims["aud"] == "calendar-bff"
    assert claims["nonce"] == "n-1"


def test_standard_profile_is_unchanged(client):
    header, claims = service_token(client, "/token")
    assert header["typ"] == "at+jwt" and claims["client_id"] == "reminder-job"


def test_idp_profile_must_be_known():
    env = {"IDP_ISSUER": ISSUER, "REDIS_URL": "redis://x", "IDP_PROFILE": "cognito"}
    with pytest.raises(ConfigError, match="IDP_PROFILE"):
        Config.from_env(env)


# --- refresh token rotation


def refresh(client, token: str):
    data = {"grant_type": "refresh_token", "refresh_token": token}
    return client.post("/token", data=data, auth=("calendar-bff", "calendar-bff-secret"))


def test_entra_dialect_rotates_but_keeps_the_old_refresh_token_valid(entra):
    # "doesn't revoke old refresh tokens when used to fetch new access tokens":
    # https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens
    old = Flow(entra).tokens()["refresh_token"]
    first = refresh(entra, old)
    assert first.status_code == 200 and first.get_json()["refresh_token"] != old
    again = refresh(entra, old)
    assert again.status_code == 200
    assert refresh(entra, first.get_json()["refresh_token"]).status_code == 200


@pytest.mark.parametrize("profile", ["keycloak", "auth0", "okta"])
def test_rotating_dialects_refuse_a_reused_refresh_token_and_revoke_its_family(config, profile):
    # Keycloak "Revoke Refresh Token" on:
    #   https://www.keycloak.org/docs/latest/server_admin/#_revoke-refresh-token
    # Auth0 rotation with reuse detection:
    #   https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
    # (Two rotations: within the reuse grace period the token just before the current one is
    # honoured once, as a retry of a lost answer; an older one is a reuse.)
    client = dialect_client(config, profile)
    old = Flow(client).tokens()["refresh_token"]
    newer = refresh(client, old).get_json()["refresh_token"]
    newest = refresh(client, newer).get_json()["refresh_token"]
    assert refresh(client, old).get_json()["error"] == "invalid_grant"
    assert refresh(client, newest).get_json()["error"] == "invalid_grant"


def test_entra_dialect_client_credentials_take_the_default_scope_of_an_api(entra):
    # scope = "application ID URI ... affixed with the .default suffix":
    # https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    response = entra.post(
        f"/{TENANT}/oauth2/v2.0/token",
        data={"grant_type": "client_credentials", "scope": "api://calendar-api/.default"},
        auth=REMINDER_AUTH,
    )
    assert response.status_code == 200, response.get_json()
    claims = verify(entra, response.get_json()["access_token"]).claims
    assert claims["roles"] == ["calendar:reminders"] and claims["aud"] == "calendar-api"


def test_entra_dialect_default_scope_of_an_api_the_client_may_not_use_is_refused(entra):
    response = entra.post(
        f"/{TENANT}/oauth2/v2.0/token",
        data={"grant_type": "client_credentials", "scope": "api://other-api/.default"},
        auth=REMINDER_AUTH,
    )
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_scope"


# --- logout


@pytest.mark.parametrize(("profile", "sent"), [("entra", 0), ("okta", 0), ("keycloak", 1)])
def test_dialects_without_back_channel_logout_send_none(config, profile, sent):
    # Entra: front-channel single sign-out only (v2-protocols-oidc); Okta: none in its endpoint
    # list (https://developer.okta.com/docs/reference/api/oidc/).
    app = create_app(config.model_copy(update={"profile": profile}))
    posts = []
    idp(app).backchannel.transport = lambda url, data: posts.append(url) or 200
    client = app.test_client()
    end_session = client.get(discovery_path(profile)).get_json()["end_session_endpoint"]
    id_token = Flow(client).tokens()["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": "http://localhost:8000/"}
    response = client.get(end_session.removeprefix(ISSUER), query_string=params)
    assert response.status_code in (302, 303)
    assert len(posts) == sent


def discovery_path(profile: str) -> str:
    prefix = {"entra": f"/{TENANT}/v2.0", "okta": "/oauth2/default", "keycloak": "/realms/demo"}
    return prefix[profile] + "/.well-known/openid-configuration"
