"""RFC 6750 §3: the exact status, error code and WWW-Authenticate challenge for each failure."""

import pytest

from .fake_issuer import bearer

ROUTES = [("get", "/events"), ("post", "/events"), ("delete", "/events/some-id")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_rfc6750_missing_token_has_no_error_code(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'
    assert "error" not in response.get_json()


def test_rfc6750_other_auth_scheme_counts_as_no_credentials(client):
    response = client.get("/events", headers={"Authorization": "Basic YWxpY2U6cGFzcw=="})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Bearer a b", 'Bearer tok"en', "Bearer  token", "Bearer é"],
)
def test_rfc6750_malformed_authorization_header_is_invalid_request(client, authorization):
    response = client.get("/events", headers={"Authorization": authorization})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert 'error="invalid_request"' in response.headers["WWW-Authenticate"]


def no_credentials(response) -> bool:
    """RFC 6750 §3.1: 401, a bare challenge and no error code in the header or the body."""
    return (
        response.status_code == 401
        and response.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'
        and "error" not in response.get_json()
    )


def test_rfc6750_token_in_query_string_alone_counts_as_no_credentials(client, issuer):
    # §3.1: a client that "attempted using an unsupported authentication method" gets no code.
    assert no_credentials(client.get(f"/events?access_token={issuer.user_token()}"))


def test_rfc6750_percent_encoded_query_parameter_is_still_noticed(client, issuer):
    response = client.get(f"/events?access%5Ftoken={issuer.user_token()}")
    assert no_credentials(response)


def test_rfc6750_token_in_form_body_alone_counts_as_no_credentials(client, issuer):
    assert no_credentials(client.post("/events", data={"access_token": issuer.user_token()}))


def test_rfc6750_token_in_form_body_and_header_is_invalid_request(client, issuer):
    token = issuer.user_token()
    response = client.post("/events", data={"access_token": token}, headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_rfc6750_two_auth_methods_are_invalid_request(client, issuer):
    token = issuer.user_token()
    response = client.get(f"/events?access_token={token}", headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_rfc6750_two_authorization_headers_are_invalid_request(client, issuer):
    token = issuer.user_token()
    headers = [("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")]
    response = client.get("/events", headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda issuer: "not-a-jwt", id="malformed"),
        pytest.param(lambda issuer: issuer.mint(aud="another-api"), id="other-audience"),
        pytest.param(lambda issuer: issuer.mint(exp=1_000_000_000), id="expired"),
    ],
)
def test_rfc6750_bad_token_is_invalid_token_in_body_and_header(client, issuer, make_token):
    response = client.get("/events", headers=bearer(make_token(issuer)))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="calendar-api", error="invalid_token"')


@pytest.mark.parametrize(
    ("method", "path", "needed", "granted"),
    [
        ("get", "/events", "calendar:read", "calendar:write"),
        ("post", "/events", "calendar:write", "calendar:read"),
        ("delete", "/events/x", "calendar:write", "calendar:read"),
    ],
)
def test_rfc6750_missing_scope_is_insufficient_scope_naming_the_scope(
    client, issuer, method, path, needed, granted
):
    headers = bearer(issuer.user_token(scope=f"openid {granted}"))
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"] == "insufficient_scope"
    challenge = response.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert f'scope="{needed}"' in challenge


def test_rfc6750_token_without_scope_claim_is_insufficient_scope(client, issuer):
    response = client.get("/events", headers=bearer(issuer.mint(scope=None)))
    assert response.status_code == 403
    assert response.get_json()["error"] == "insufficient_scope"
