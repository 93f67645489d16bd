"""The API proxy: allow-list, bearer token added, browser cookies removed, errors mapped."""

import pytest

from bff import create_app
from devstack.ports import free_port

from .conftest import CSRF, body, make_config, sign_in


def test_proxy_adds_bearer_token_and_strips_cookie(client, auth, api_requests):
    auth.sign_in(access_token="the-access-token")
    client.get("/api/events", headers=CSRF | {"X-Other": "x"})
    seen = api_requests[-1]["headers"]
    assert seen["Authorization"] == "Bearer the-access-token"
    assert "Cookie" not in seen and "X-Csrf" not in seen and "X-Other" not in seen


def test_proxy_keeps_query_body_and_content_type(client, auth, api_requests):
    auth.sign_in()
    payload = '{"title": "Tea", "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"}'
    client.post(
        "/api/events?notify=no", data=payload, content_type="application/json", headers=CSRF
    )
    seen = api_requests[-1]
    assert (seen["method"], seen["path"], seen["query"]) == ("POST", "/events", {"notify": "no"})
    assert seen["body"] == payload and seen["headers"]["Content-Type"] == "application/json"


def test_the_browser_gets_the_apis_content_type_and_only_that_one(client, auth):
    auth.sign_in()
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["application/json"]


def test_an_answer_without_a_content_type_gets_none_from_the_bff(client, auth):
    auth.sign_in()
    response = client.delete("/api/events/done", headers=CSRF)
    assert response.status_code == 204 and "Content-Type" not in response.headers


def test_proxy_passes_api_status_and_json_error_through(client, auth):
    auth.sign_in()
    response = client.delete("/api/events/missing", headers=CSRF)
    assert response.status_code == 404 and body(response)["error"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/admin"),
        ("PUT", "/api/events"),
        ("GET", "/api/eventsX"),
        ("DELETE", "/api/events/../admin"),
        ("GET", "/api/events/%2e%2e/admin"),
    ],
)
def test_proxy_forwards_only_allow_listed_routes(client, auth, api_requests, method, path):
    auth.sign_in()
    response = client.open(path, method=method, headers=CSRF)
    assert response.status_code == 404 and body(response)["error"] == "not_found"
    assert api_requests == []


def test_unreachable_api_is_502_json(redis_url):
    client = create_app(make_config(redis_url, f"http://127.0.0.1:{free_port()}")).test_client()
    sign_in(client, {"access_token": "a"})
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 502 and body(response)["error"] == "upstream_unavailable"


def test_slow_api_is_504_json(redis_url, api_server):
    config = make_config(
        redis_url, api_server.url, api_routes=(("GET", "/slow"),), api_timeout_seconds=0.3
    )
    client = create_app(config).test_client()
    sign_in(client, {"access_token": "a"})
    response = client.get("/api/slow", headers=CSRF)
    assert response.status_code == 504 and body(response)["error"] == "upstream_timeout"


def test_a_body_too_large_for_memory_reaches_the_api_whole(client, auth, api_requests):
    auth.sign_in()
    payload = "x" * (200 * 1024)  # above the 64 KB the proxy keeps in memory: spooled
    response = client.post(
        "/api/events", data=payload, content_type="application/json", headers=CSRF
    )
    assert response.status_code == 200
    seen = api_requests[-1]
    assert seen["body"] == payload and seen["headers"]["Content-Length"] == str(len(payload))


def test_each_repeated_answer_header_reaches_the_browser(redis_url, api_server):
    config = make_config(redis_url, api_server.url, api_routes=(("GET", "/challenges"),))
    client = create_app(config).test_client()
    sign_in(client, {"access_token": "a"})
    response = client.get("/api/challenges", headers=CSRF)
    assert response.status_code == 403
    assert response.headers.getlist("WWW-Authenticate") == [
        'Bearer error="insufficient_scope"',
        'DPoP algs="ES256"',
    ]
