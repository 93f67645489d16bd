"""The proxy's steady-state GET is served below Flask, and answers exactly as the Flask view."""

import json

import pytest
import redis

from bff import create_app, signals
from devstack.ports import free_port

from .conftest import CSRF, body, make_config, sign_in

SAME_ID = {"X-Request-Id": "spa-call-0001"}


def handed_to_flask(app) -> list[str]:
    """The paths of the requests the lane hands to the Flask app from now on, in order."""
    lane = app.wsgi_app
    inner, calls = lane.flask_app, []

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    lane.flask_app = counting
    return calls


@pytest.fixture
def flask_calls(app):
    return handed_to_flask(app)


def slide_due(client, sid: str) -> None:
    """Let the idle timeout be due to slide, which only the Flask view does."""
    sessions = client.application.session_interface
    sessions.client.delete(sessions.slid_key(sid))


def answer_of(response) -> tuple:
    return response.status_code, sorted(response.headers.items()), response.get_data()


def request_lines(capsys) -> list[dict]:
    """The request lines written to standard error so far, without their timings."""
    text = capsys.readouterr().err
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    timing = ("ts", "latency_ms", "upstream_ms")
    mine = [line for line in lines if line.get("event") == "request"]
    return [{k: v for k, v in line.items() if k not in timing} for line in mine]


def test_a_signed_in_get_is_answered_without_entering_flask(client, auth, flask_calls):
    auth.sign_in()
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 200 and body(response) == {"events": []}
    assert flask_calls == []


def test_the_lane_answers_as_the_flask_view_would(client, auth, flask_calls, api_requests, capsys):
    sid = auth.sign_in()
    lane = client.get("/api/events?from=2026-01-01", headers=CSRF | SAME_ID)
    slide_due(client, sid)
    view = client.get("/api/events?from=2026-01-01", headers=CSRF | SAME_ID)
    assert flask_calls == ["/api/events"]  # the second one only
    assert answer_of(lane) == answer_of(view)
    assert api_requests[0]["headers"] == api_requests[1]["headers"]
    assert api_requests[0]["query"] == api_requests[1]["query"] == {"from": "2026-01-01"}
    first, second = request_lines(capsys)
    assert first == second and first["request_id"] == "spa-call-0001"


def test_an_unreachable_api_gets_the_views_502_from_the_lane(redis_url):
    api_url = f"http://127.0.0.1:{free_port()}"
    app = create_app(make_config(redis_url, api_url))
    flask_calls, client = handed_to_flask(app), app.test_client()
    sid = sign_in(client, {"access_token": "a", "expires_in": 300})
    lane = client.get("/api/events", headers=CSRF | SAME_ID)
    assert flask_calls == []
    slide_due(client, sid)
    view = client.get("/api/events", headers=CSRF | SAME_ID)
    assert flask_calls == ["/api/events"]
    assert lane.status_code == 502 and body(lane)["error"] == "upstream_unavailable"
    assert answer_of(lane) == answer_of(view)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/events", {}, 403),  # no X-CSRF header
        ("/api/events", CSRF | {"Origin": "https://evil.example"}, 403),
        ("/api/events", CSRF | {"Sec-Fetch-Site": "cross-site"}, 403),
        ("/api/admin", CSRF, 404),  # not on the allow-list
        ("/api//events", CSRF, 404),
        ("/api/events", CSRF | {"Sec-Fetch-Mode": "navigate"}, 200),  # a page load
        ("/api/événements", CSRF, 404),  # not ASCII: decoded by Werkzeug's rules only
    ],
)
def test_refusals_and_unusual_calls_go_to_the_flask_view(
    client, auth, flask_calls, path, headers, status
):
    auth.sign_in()
    response = client.get(path, headers=headers)
    wsgi_path = path.encode().decode("latin-1")  # PATH_INFO as PEP 3333 gives it
    assert flask_calls == [wsgi_path] and response.status_code == status


def test_a_call_without_a_session_goes_to_the_view_and_is_401(client, flask_calls):
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 401 and body(response)["error"] == "login_required"
    assert flask_calls == ["/api/events"]


def test_a_get_with_a_body_goes_to_the_view(client, auth, flask_calls, api_requests):
    auth.sign_in()
    response = client.get("/api/events", data=b"{}", headers=CSRF)
    assert response.status_code == 200 and flask_calls == ["/api/events"]
    assert api_requests[-1]["body"] == "{}"


def test_a_due_slide_goes_to_the_view_which_slides(client, auth, flask_calls):
    sid = auth.sign_in()
    slide_due(client, sid)
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert flask_calls == ["/api/events"]
    sessions = client.application.session_interface
    assert sessions.client.exists(sessions.slid_key(sid))
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert flask_calls == ["/api/events"]  # slid: the lane again


def test_a_token_due_for_refresh_goes_to_the_view_which_refreshes(
    client, auth, flask_calls, api_requests
):
    auth.sign_in(expires_in=5)  # inside the refresh margin
    assert client.get("/api/events", headers=CSRF).status_code == 200
    assert flask_calls == ["/api/events"]
    assert [call["path"] for call in api_requests] == ["/token", "/events"]
    assert api_requests[-1]["headers"]["Authorization"] == "Bearer refreshed-1"


def test_a_token_the_api_refuses_is_refreshed_by_the_view_and_the_get_asked_again(
    client, auth, flask_calls, api_requests
):
    auth.sign_in(access_token="refused")
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 200 and flask_calls == ["/api/events"]
    sent = [(call["path"], call.get("headers", {}).get("Authorization")) for call in api_requests]
    assert sent == [
        ("/events", "Bearer refused"),  # the lane's call
        ("/events", "Bearer refused"),  # the view's, before its refresh
        ("/token", None),
        ("/events", "Bearer refreshed-1"),
    ]


def test_a_plug_in_listening_to_api_calls_sees_every_call(client, auth, flask_calls):
    auth.sign_in()
    seen = []

    def receiver(sender, **data):
        seen.append(data["path"])

    signals.api_called.connect(receiver)
    try:
        assert client.get("/api/events", headers=CSRF).status_code == 200
    finally:
        signals.api_called.disconnect(receiver)
    assert seen == ["/events"] and flask_calls == ["/api/events"]


def test_redis_unreachable_under_the_lane_is_the_views_503(client, auth, flask_calls):
    auth.sign_in()
    pool = client.application.session_interface.client.connection_pool
    pool.connection_kwargs["port"] = free_port()  # a Redis that went away: nothing listens
    pool.reset()  # its connections are dropped; new ones go to that port
    response = client.get("/api/events", headers=CSRF)
    assert response.status_code == 503 and flask_calls == ["/api/events"]
    assert body(response)["error"] == "temporarily_unavailable"


def test_connections_redis_dropped_cost_the_lane_no_error(client, auth, flask_calls, redis_url):
    auth.sign_in()
    assert client.get("/api/events", headers=CSRF).status_code == 200  # a pooled connection
    redis.Redis.from_url(redis_url).client_kill_filter(_type="normal", skipme=True)
    answers = [client.get("/api/events", headers=CSRF).status_code for _ in range(3)]
    assert answers == [200, 200, 200] and flask_calls == []


@pytest.mark.parametrize("stored", [b"not json", b"[]", b'{"access_token": "a"}'])
def test_a_login_record_the_lane_cannot_read_goes_to_the_view(client, auth, flask_calls, stored):
    sid = auth.sign_in()
    logins = client.application.extensions["bff"].logins
    logins.redis.set(logins.key(sid), stored, keepttl=True)
    response = client.get("/api/events", headers=CSRF)
    assert flask_calls == ["/api/events"] and response.status_code >= 400
    assert response.is_json and "error" in body(response)
