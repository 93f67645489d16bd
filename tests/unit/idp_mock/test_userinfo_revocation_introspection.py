"""UserInfo, revocation (RFC 7009) and introspection (RFC 7662)."""

import pytest

from .conftest import BFF_AUTH

API_AUTH = ("calendar-api", "calendar-api-secret")
SERVICE_AUTH = ("reminder-job", "reminder-job-secret")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def introspect(client, token, auth=API_AUTH, **extra):
    return client.post("/introspect", data={"token": token, **extra}, auth=auth)


def test_oidc_userinfo_returns_the_claims_of_the_granted_scopes(flow, client):
    tokens = flow.tokens(scope="openid email calendar:read")
    response = client.get("/userinfo", headers=bearer(tokens["access_token"]))
    body = response.get_json()
    assert response.status_code == 200
    assert body["email"] == "alice@example.com" and body["sub"]
    assert "name" not in body


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic x"}])
def test_rfc6750_userinfo_without_a_token_is_401_without_an_error_code(client, headers):
    response = client.get("/userinfo", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="idp-mock"'


def test_rfc6750_userinfo_with_an_unknown_token_is_401_invalid_token(client):
    response = client.get("/userinfo", headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_rfc6750_userinfo_needs_the_openid_scope(client):
    token = client.post(
        "/token", data={"grant_type": "client_credentials"}, auth=SERVICE_AUTH
    ).get_json()["access_token"]
    response = client.get("/userinfo", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"] == "insufficient_scope"


def test_rfc7662_api_introspects_an_access_token_meant_for_it(flow, client):
    token = flow.tokens()["access_token"]
    body = introspect(client, token).get_json()
    assert body["active"] is True
    assert body["client_id"] == "calendar-bff" and body["aud"] == "calendar-api"
    assert "calendar:read" in body["scope"].split() and body["sub"] and body["exp"]


def test_rfc7662_client_introspects_its_own_refresh_token(flow, client):
    token = flow.tokens()["refresh_token"]
    body = introspect(client, token, auth=BFF_AUTH, token_type_hint="refresh_token").get_json()
    assert body["active"] is True and body["token_type"] == "refresh_token"


def test_rfc7662_another_clients_token_is_inactive(flow, client):
    token = flow.tokens()["refresh_token"]
    assert introspect(client, token, auth=SERVICE_AUTH).get_json() == {"active": False}


def test_rfc7662_unknown_token_is_inactive(client):
    assert introspect(client, "nonsense").get_json() == {"active": False}


@pytest.mark.parametrize("auth", [None, ("calendar-api", "wrong")])
def test_rfc7662_introspection_requires_client_authentication(flow, client, auth):
    response = introspect(client, flow.tokens()["access_token"], auth=auth)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "WWW-Authenticate" in response.headers


def test_rfc7009_revoking_a_refresh_token_revokes_its_access_tokens(flow, client):
    tokens = flow.tokens()
    response = client.post("/revoke", data={"token": tokens["refresh_token"]}, auth=BFF_AUTH)
    assert response.status_code == 200
    assert introspect(client, tokens["access_token"]).get_json() == {"active": False}
    refresh = client.post(
        "/token",
        auth=BFF_AUTH,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.get_json()["error"] == "invalid_grant"


def test_rfc7009_revoking_an_access_token_makes_it_inactive(flow, client):
    token = flow.tokens()["access_token"]
    client.post("/revoke", data={"token": token, "token_type_hint": "access_token"}, auth=BFF_AUTH)
    assert introspect(client, token).get_json() == {"active": False}


def test_rfc7009_unknown_token_revocation_answers_200(client):
    assert client.post("/revoke", data={"token": "nonsense"}, auth=BFF_AUTH).status_code == 200


def test_rfc7009_a_client_cannot_revoke_another_clients_token(flow, client):
    token = flow.tokens()["refresh_token"]
    response = client.post("/revoke", data={"token": token}, auth=SERVICE_AUTH)
    assert response.status_code >= 400
    assert introspect(client, token, auth=BFF_AUTH).get_json()["active"] is True


def test_rfc7009_revocation_requires_client_authentication(flow, client):
    response = client.post("/revoke", data={"token": "x"})
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"
