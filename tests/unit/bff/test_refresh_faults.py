"""Refreshes that fail or answers that are refused must not sign anyone out early."""

import pytest

from .conftest import CSRF, body


def token_calls(api_requests) -> int:
    return sum(1 for call in api_requests if call["path"] == "/token")


def api_tokens(api_requests) -> list[str]:
    return [call["headers"]["Authorization"] for call in api_requests if call["path"] == "/events"]


@pytest.mark.parametrize(("status", "error"), [(503, "temporarily_unavailable"), (500, "oops")])
def test_a_failed_refresh_keeps_using_the_access_token_while_it_is_valid(
    client, auth, api_requests, token_failures, status, error
):
    auth.sign_in(access_token="valid-8-more-seconds", expires_in=8)  # inside the refresh margin
    token_failures.append((status, error))
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert token_calls(api_requests) == 1
    assert api_tokens(api_requests) == ["Bearer valid-8-more-seconds"]


def test_after_a_failed_refresh_the_next_attempt_waits_a_moment(
    client, auth, api_requests, token_failures
):
    auth.sign_in(access_token="valid-8-more-seconds", expires_in=8)
    token_failures.append((503, "temporarily_unavailable"))
    client.get("/api/events", headers=CSRF)
    client.get("/api/events", headers=CSRF)
    assert token_calls(api_requests) == 1  # an IdP that hangs must not slow every call


def test_a_failed_refresh_with_an_expired_access_token_is_503_and_keeps_the_session(
    client, auth, token_failures
):
    auth.sign_in(access_token="expired", expires_in=1)
    token_failures.append((503, "temporarily_unavailable"))
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert client.get("/bff/user", headers=CSRF).status_code == 200


def test_an_access_token_the_api_refuses_is_refreshed_once_and_the_call_sent_again(
    client, auth, api_requests
):
    auth.sign_in(access_token="refused", expires_in=300)  # revoked, say, though not expired
    response = client.post("/api/events", json={"title": "kept"}, headers=CSRF)
    assert response.status_code == 200
    posts = [call for call in api_requests if call["path"] == "/events"]
    assert api_tokens(api_requests) == ["Bearer refused", "Bearer refreshed-1"]
    assert all(call["body"] == '{"title": "kept"}' for call in posts)  # nothing typed is lost


def test_when_the_api_refuses_even_a_fresh_token_the_login_ends_and_both_views_agree(
    client, auth, api_requests
):
    auth.sign_in()
    response = client.get("/api/events?refuse_every_token=1", headers=CSRF)
    assert response.status_code == 401 and body(response)["error"] == "login_required"
    assert token_calls(api_requests) == 1
    assert client.get("/bff/user", headers=CSRF).status_code == 401
