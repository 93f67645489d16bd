"""Browser sessions: opaque cookie, server-side tokens, JSON 401s, logout, Redis outages."""

from urllib.parse import parse_qs, urlsplit

import pytest
import redis
from flask import request, session

from bff import create_app
from devstack.ports import free_port

from .conftest import CSRF, body, make_config, sign_in, sign_out


def test_user_without_session_is_401_json_with_login_hint(client):
    response = client.get("/bff/user", headers=CSRF)
    assert response.status_code == 401
    assert body(response)["error"] == "login_required"
    assert body(response)["login_url"] == "/bff/login"


def test_api_call_without_session_is_401_json_never_a_redirect(client):
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 401
    assert "Location" not in response.headers


def test_user_shows_display_claims_and_expiry_but_no_token(client, auth):
    auth.sign_in()
    response = client.get("/bff/user", headers=CSRF)
    data = body(response)
    assert data["claims"] == {"sub": "user-1", "name": "Alice Liddell"}
    assert data["session"]["expires_at"] > data["session"]["created_at"]
    assert "token" not in response.get_data(as_text=True)


def test_session_cookie_is_opaque_httponly_lax_and_has_no_domain(app, client, redis_url):
    app.add_url_rule("/touch", "touch", lambda: session.update(seen=True) or "ok")
    cookie = client.get("/touch").headers["Set-Cookie"]
    name, value = cookie.split(";")[0].split("=", 1)
    assert name == "bff-session" and len(value) >= 32
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
    assert redis.Redis.from_url(redis_url).exists("bff:session:" + value)


def test_https_session_cookie_is_host_prefixed_and_secure(redis_url, api_server):
    app = create_app(make_config(redis_url, api_server.url, bff_url="https://app.example"))
    app.add_url_rule("/touch", "touch", lambda: session.update(seen=True) or "ok")
    cookie = app.test_client().get("/touch", base_url="https://app.example").headers["Set-Cookie"]
    assert cookie.startswith("__Host-bff-session=") and "Secure" in cookie


def test_logout_deletes_server_session_and_login_record(app, client, auth, redis_url):
    login_id = auth.sign_in()
    response = sign_out(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert app.extensions["bff"].logins.get(login_id) is None
    assert client.get("/bff/user", headers=CSRF).status_code == 401
    assert not redis.Redis.from_url(redis_url).keys("bff:login:*")


def test_session_without_refresh_token_ends_with_its_access_token(app, redis_url):
    app.extensions["bff"].logins.create("login-1", {"access_token": "a", "expires_in": 30}, {})
    assert 0 < redis.Redis.from_url(redis_url).ttl("bff:login:login-1") <= 30


def test_redis_outage_gives_503_json_with_retry_after_not_a_login_redirect(api_server):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    client = create_app(make_config(dead_redis, api_server.url)).test_client()
    client.set_cookie("bff-session", "some-session-id", domain="localhost")
    for path in ("/api/events", "/bff/user"):
        response = client.get(path, headers=CSRF)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "5"
        assert body(response)["error"] == "temporarily_unavailable"


def test_redis_outage_during_navigation_shows_a_page(api_server):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    client = create_app(make_config(dead_redis, api_server.url)).test_client()
    client.set_cookie("bff-session", "some-session-id", domain="localhost")
    response = client.get("/bff/login")
    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.data


def test_logout_keeps_the_session_when_the_idp_is_unreachable(redis_url, api_server):
    config = make_config(redis_url, api_server.url, oidc_issuer=f"http://127.0.0.1:{free_port()}")
    client = create_app(config).test_client()
    login_id = sign_in(client, {"access_token": "a"})
    response = sign_out(client)
    assert response.status_code == 502 and b"try again" in response.data
    assert client.application.extensions["bff"].logins.get(login_id) is not None


def test_fresh_access_token_is_used_without_refreshing(client, auth, api_requests):
    auth.sign_in(access_token="still-fresh", expires_in=300)
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert api_requests[-1]["headers"]["Authorization"] == "Bearer still-fresh"
    assert not [r for r in api_requests if r["path"] == "/token"]


def test_access_token_without_refresh_token_is_used_until_it_really_expires(client, api_requests):
    sign_in(client, {"access_token": "last-seconds", "expires_in": 5})
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert api_requests[-1]["headers"]["Authorization"] == "Bearer last-seconds"


def test_expired_access_token_without_refresh_token_ends_the_session_with_401(app, client):
    login_id = sign_in(client, {"access_token": "a", "expires_in": 1})
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 401 and body(response)["error"] == "login_required"
    assert app.extensions["bff"].logins.get(login_id) is None


def test_sessions_list_shows_each_login_of_the_user_and_marks_this_one(app, client, auth):
    auth.sign_in()
    other = app.test_client()
    sign_in(other)
    sessions = body(client.get("/bff/sessions", headers=CSRF))["sessions"]
    assert len(sessions) == 2 and sum(s["current"] for s in sessions) == 1
    assert all(s["created_at"] <= s["last_seen"] for s in sessions)


def test_ending_another_session_signs_that_browser_out(app, client, auth):
    auth.sign_in()
    other = app.test_client()
    sign_in(other)
    sessions = body(client.get("/bff/sessions", headers=CSRF))["sessions"]
    target = next(s["id"] for s in sessions if not s["current"])
    assert client.delete(f"/bff/sessions/{target}", headers=CSRF).status_code == 204
    assert other.get("/bff/user", headers=CSRF).status_code == 401
    assert client.get("/bff/user", headers=CSRF).status_code == 200


def test_a_user_cannot_end_a_session_that_is_not_theirs(app, client, auth):
    auth.sign_in()
    response = client.delete("/bff/sessions/0123456789abcdef", headers=CSRF)
    assert response.status_code == 404


@pytest.mark.parametrize(("idle", "absolute", "login_ttl"), [(600, 3600, 600), (3600, 600, 600)])
def test_a_login_lives_while_its_session_is_used_and_never_past_the_absolute_limit(
    redis_url, api_server, idle, absolute, login_ttl
):
    config = make_config(
        redis_url, api_server.url, session_idle_seconds=idle, session_absolute_seconds=absolute
    )
    app = create_app(config)
    client = app.test_client()
    sid = sign_in(client)
    store = redis.Redis.from_url(redis_url)
    assert idle - 10 < store.ttl("bff:session:" + sid) <= idle  # idle: slid by activity
    assert login_ttl - 10 < store.ttl("bff:login:" + sid) <= login_ttl  # tokens go with it


def test_a_request_that_only_reads_the_session_never_writes_it_back(app, client, redis_url):
    """Lessons row 5: a poll must not erase the state of a login started in another tab."""
    other_tab = app.test_client()

    def poll_during_which_another_tab_starts_a_login():
        session.get("login_id")  # this request reads the session, as /bff/user does
        other_tab.set_cookie("bff-session", request.cookies["bff-session"], domain="localhost")
        other_tab.get("/bff/login")  # completes before this request ends
        return "ok"

    app.add_url_rule("/poll", "poll", poll_during_which_another_tab_starts_a_login)
    first_state = parse_qs(urlsplit(client.get("/bff/login").headers["Location"]).query)["state"]
    assert client.get("/poll").status_code == 200
    with client.session_transaction() as stored:
        pending = [key for key in stored if key.startswith("_state_idp_")]
    assert len(pending) == 2 and f"_state_idp_{first_state[0]}" in pending


def test_reading_a_session_with_only_a_pending_login_never_extends_it(app, client, redis_url):
    client.get("/bff/login")
    store = redis.Redis.from_url(redis_url)
    (key,) = store.keys("bff:session:*")
    store.expire(key, 100)
    client.get("/bff/user", headers=CSRF)
    assert store.ttl(key) <= 100  # it dies with its pending login, however often it is read
