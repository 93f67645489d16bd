"""The token endpoint for authorization codes: PKCE, single use, and what the tokens say."""

import time

import pytest
from idp_mock import create_app

from .conftest import BFF_AUTH, ISSUER, Flow, demo_config_text, pkce_pair, verify


def test_code_exchange_returns_bearer_tokens_with_no_store(flow):
    response = flow.redeem(flow.code())
    body = response.get_json()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert {"access_token", "id_token", "refresh_token", "scope"} <= set(body)


def test_rfc9068_access_token_is_a_signed_jwt_for_the_api(flow, client):
    token = verify(client, flow.tokens()["access_token"])
    assert token.header["typ"] == "at+jwt" and token.header["alg"] == "RS256"
    assert token.header["kid"] == client.get("/jwks").get_json()["keys"][0]["kid"]
    claims = token.claims
    assert claims["iss"] == ISSUER and claims["aud"] == "calendar-api"
    assert claims["client_id"] == "calendar-bff"
    assert claims["sub"] != "alice" and claims["sub"] != claims["client_id"]
    assert "calendar:read" in claims["scope"].split()
    assert claims["exp"] - claims["iat"] == 300
    assert {"nbf", "jti", "auth_time", "sid"} <= set(claims)


def test_oidc_id_token_has_nonce_audience_and_profile_claims(flow, client):
    tokens = flow.tokens(nonce="n-42")
    id_token = verify(client, tokens["id_token"]).claims
    access = verify(client, tokens["access_token"]).claims
    assert id_token["iss"] == ISSUER and id_token["aud"] == "calendar-bff"
    assert id_token["nonce"] == "n-42"
    assert id_token["sub"] == access["sub"] and id_token["sid"] == access["sid"]
    assert id_token["name"] == "Alice Liddell" and id_token["email"] == "alice@example.com"
    assert id_token["exp"] > time.time() and "auth_time" in id_token


def test_oidc_id_token_without_nonce_in_request_has_no_nonce(flow, client):
    claims = verify(client, flow.tokens(nonce=None)["id_token"]).claims
    assert "nonce" not in claims


def test_oidc_id_token_releases_only_the_granted_scopes_claims(flow, client):
    claims = verify(client, flow.tokens(scope="openid email")["id_token"]).claims
    assert claims["email"] == "alice@example.com"
    assert "name" not in claims


def test_refresh_token_is_issued_only_with_offline_access(flow):
    tokens = flow.tokens(scope="openid profile calendar:read")
    assert "refresh_token" not in tokens


@pytest.mark.parametrize(
    "verifier",
    [
        pkce_pair()[0],  # the verifier of another flow
        "short",  # malformed
    ],
)
def test_rfc7636_wrong_code_verifier_is_invalid_grant(flow, verifier):
    response = flow.redeem(flow.code(), verifier=verifier)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"


def test_rfc7636_missing_code_verifier_is_invalid_grant(flow):
    code = flow.code()
    response = flow.client.post(
        "/token",
        auth=BFF_AUTH,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://localhost:8000/bff/callback",
        },
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"


def test_rfc6749_code_is_single_use(flow):
    code = flow.code()
    assert flow.redeem(code).status_code == 200
    replay = flow.redeem(code)
    assert replay.status_code == 400
    assert replay.get_json()["error"] == "invalid_grant"
    assert replay.headers["Cache-Control"] == "no-store"


def test_rfc6749_code_with_another_redirect_uri_is_invalid_grant(flow):
    response = flow.redeem(flow.code(), redirect_uri="http://localhost:8000/other")
    assert response.get_json()["error"] == "invalid_grant"


def test_rfc6749_unknown_code_is_invalid_grant(flow):
    assert flow.redeem("not-a-code").get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize("auth", [None, ("calendar-bff", "wrong"), ("nobody", "x")])
def test_rfc6749_failed_client_authentication_is_401_invalid_client(flow, auth):
    response = flow.redeem(flow.code(), auth=auth)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "WWW-Authenticate" in response.headers


def test_rfc6749_code_issued_to_another_client_is_invalid_grant(flow):
    response = flow.redeem(flow.code(), auth=("calendar-api", "calendar-api-secret"))
    assert response.status_code == 400
    assert response.get_json()["error"] in {"invalid_grant", "unauthorized_client"}


def test_rfc6749_unsupported_grant_type_is_a_json_error(client):
    response = client.post("/token", data={"grant_type": "password"}, auth=BFF_AUTH)
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_rfc6749_expired_code_is_invalid_grant(config, tmp_path):
    short = tmp_path / "short.yaml"
    short.write_text(demo_config_text().replace("authorization_code: 60", "authorization_code: 0"))
    flow = Flow(create_app(config.model_copy(update={"config_file": short})).test_client())
    assert flow.redeem(flow.code()).get_json()["error"] == "invalid_grant"
