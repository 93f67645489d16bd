"""CSRF defence and open-redirect defence (draft-ietf-oauth-browser-based-apps, RFC 9700 §4.11)."""

import pytest

from bff.security import safe_return_to

from .conftest import CSRF, body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/calendar?week=2", "/calendar?week=2"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("calendar", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_rfc9700_return_to_accepts_only_same_origin_relative_paths(value, expected):
    assert safe_return_to(value) == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/events"),
        ("GET", "/bff/user"),
        ("GET", "/bff/sessions"),
        ("POST", "/api/events"),
    ],
)
def test_bff_api_calls_without_csrf_header_are_refused_with_json(client, auth, method, path):
    auth.sign_in()
    response = client.open(path, method=method)
    assert response.status_code == 403
    assert body(response)["error"] == "csrf_check_failed"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://127.0.0.1:8002"},
    ],
)
def test_cross_site_calls_are_refused_even_with_the_header(client, auth, headers):
    auth.sign_in()
    response = client.get("/api/events", headers=CSRF | headers)
    assert response.status_code == 403


def test_same_origin_call_with_header_passes(client, auth):
    auth.sign_in()
    headers = CSRF | {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost:8000"}
    assert client.get("/api/events", headers=headers).status_code == 200


def test_spa_is_served_with_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<script type="module" src="/app.js">' in response.data
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_each_security_header_is_sent_once_and_a_views_own_value_is_kept(app, client, auth):
    @app.get("/own-referrer-policy")
    def own_referrer_policy():
        return "page", 200, {"Referrer-Policy": "same-origin"}

    auth.sign_in()
    answers = {
        "api": client.get("/api/events", headers=CSRF),
        "page": client.get("/"),
        "own": client.get("/own-referrer-policy"),
    }
    assert [answer.status_code for answer in answers.values()] == [200, 200, 200]
    for answer in answers.values():
        assert answer.headers.getlist("X-Content-Type-Options") == ["nosniff"]
        assert len(answer.headers.getlist("Content-Security-Policy")) == 1
    assert answers["api"].headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert answers["own"].headers.getlist("Referrer-Policy") == ["same-origin"]
