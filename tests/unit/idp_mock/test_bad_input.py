"""Bad input is a clear 4xx with an OAuth-shaped error, never a 500 (RFC 6749 §5.2)."""

import pytest
from idp_mock.current import idp

from .conftest import BFF_AUTH, REDIRECT_URI

BAD_BASIC = {"Authorization": "Basic !!!not-base64"}


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("post", "/token", {"data": {}}),
        ("post", "/token", {"data": {"grant_type": "authorization_code"}, "headers": BAD_BASIC}),
        ("post", "/token", {"data": {"grant_type": "authorization_code"}, "auth": BFF_AUTH}),
        ("post", "/token", {"json": {"grant_type": "client_credentials"}}),
        ("post", "/token", {"data": {"grant_type": "refresh_token"}, "auth": BFF_AUTH}),
        ("post", "/token", {"data": {"grant_type": "x" * 5000}, "auth": BFF_AUTH}),
        ("get", "/token", {}),
        ("post", "/introspect", {"data": {}, "auth": ("calendar-api", "calendar-api-secret")}),
        (
            "post",
            "/introspect",
            {
                "data": {"token": "x", "token_type_hint": "magic"},
                "auth": ("calendar-api", "calendar-api-secret"),
            },
        ),
        ("post", "/revoke", {"data": {}, "auth": BFF_AUTH}),
        ("post", "/revoke", {"data": {"token": "x"}, "headers": BAD_BASIC}),
        ("get", "/userinfo", {"headers": {"Authorization": "Bearer"}}),
        ("get", "/authorize", {}),
        ("get", "/authorize", {"query_string": "client_id=calendar-bff&client_id=other"}),
        ("post", "/interaction/x/login", {"data": {}}),
        ("post", "/interaction/x/consent", {"data": {"csrf_token": "y"}}),
        ("get", "/logout", {"query_string": {"id_token_hint": "a.b.c"}}),
        ("post", "/apps/revoke", {"data": {}}),
        ("get", "/nowhere", {}),
    ],
)
def test_bad_input_is_a_clear_4xx_never_a_500(client, method, path, kwargs):
    response = getattr(client, method)(path, **kwargs)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.is_json:
        assert "error" in response.get_json() or "error_description" in response.get_json()


@pytest.mark.parametrize("auth_style", ["basic", "post"])
def test_rfc6749_wrong_client_secret_is_401_with_www_authenticate(flow, auth_style):
    data = {
        "grant_type": "authorization_code",
        "code": flow.code(),
        "redirect_uri": REDIRECT_URI,
        "code_verifier": flow.verifier,
    }
    if auth_style == "basic":
        response = flow.client.post("/token", data=data, auth=("calendar-bff", "wrong"))
    else:
        response = flow.client.post(
            "/token", data={**data, "client_id": "calendar-bff", "client_secret": "wrong"}
        )
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.headers["Cache-Control"] == "no-store"


def test_rfc6749_client_secret_post_is_accepted(flow):
    response = flow.client.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": flow.code(),
            "redirect_uri": REDIRECT_URI,
            "code_verifier": flow.verifier,
            "client_id": "calendar-bff",
            "client_secret": "calendar-bff-secret",
        },
    )
    assert response.status_code == 200


def test_redis_outage_is_503_with_retry_after(app, client, monkeypatch):
    import redis

    def down(*args, **kwargs):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(idp(app).store.redis, "ping", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert response.get_json()["error"] == "temporarily_unavailable"
