"""The BFF's edge: what anonymous, hostile and heavy traffic may cost, and what it may not do."""

import contextlib
import io

import pytest
import redis

from bff import create_app

from .conftest import CSRF, body, make_config, sign_in, sign_out


def redis_calls(store: redis.Redis, action) -> tuple[int, set[str]]:
    """Round trips to Redis (read events) and the commands that `action` caused."""

    def snapshot():
        return store.info("stats")["total_reads_processed"], store.info("commandstats")

    reads_before, commands_before = snapshot()
    action()
    reads_after, commands_after = snapshot()
    # Each snapshot's two INFO calls are round trips of their own: two of them fall in between.
    commands = {
        name.removeprefix("cmdstat_")
        for name, stats in commands_after.items()
        if stats["calls"] > commands_before.get(name, {"calls": 0})["calls"]
    }
    return reads_after - reads_before - 2, commands - {"info"}


def pending_logins(client) -> list[str]:
    with client.session_transaction() as stored:
        return [key for key in stored if key.startswith("_state_idp_")]


def test_anonymous_visits_store_no_server_side_session(client, redis_url):
    client.get("/")
    client.get("/bff/user", headers=CSRF)
    client.get("/api/events", headers=CSRF)
    assert not redis.Redis.from_url(redis_url).keys("bff:session:*")


def test_a_pending_login_is_stored_for_minutes_not_for_the_idle_timeout(client, redis_url):
    client.get("/bff/login")
    store = redis.Redis.from_url(redis_url)
    (key,) = store.keys("bff:session:*")
    assert 0 < store.ttl(key) <= 600


def test_pending_logins_are_capped_per_browser_and_the_newest_is_kept(client):
    for _ in range(12):
        response = client.get("/bff/login")
    newest = response.headers["Location"].split("state=")[1].split("&")[0]
    pending = pending_logins(client)
    assert len(pending) == 5 and f"_state_idp_{newest}" in pending


def test_an_expired_pending_login_cannot_be_completed(client):
    state = client.get("/bff/login").headers["Location"].split("state=")[1].split("&")[0]
    with client.session_transaction() as stored:
        stored[f"_state_idp_{state}"]["exp"] = 0
        stored.modified = True
    response = client.get(f"/bff/callback?state={state}&code=abc")
    assert response.status_code == 400 and b"unknown or expired" in response.data


def test_a_signed_in_api_call_costs_one_redis_round_trip_and_writes_nothing(
    client, auth, redis_url
):
    auth.sign_in()
    client.get("/api/events", headers=CSRF)  # warm: the connection's own handshake
    store = redis.Redis.from_url(redis_url)
    trips, commands = redis_calls(store, lambda: client.get("/api/events", headers=CSRF))
    assert trips == 1 and commands == {"mget"}


def test_the_idle_timeout_slides_only_once_a_meaningful_part_of_it_has_passed(
    app, client, auth, redis_url
):
    login_id = auth.sign_in()
    store = redis.Redis.from_url(redis_url)
    session_key, login_key = "bff:session:" + login_id, "bff:login:" + login_id
    assert 290 < store.ttl("bff:slid:" + login_id) <= 300  # fresh: the next 5 minutes write nothing
    store.expire(session_key, 8 * 3600 - 60)
    _, commands = redis_calls(store, lambda: client.get("/api/events", headers=CSRF))
    assert not commands & {"expire", "expireat", "zadd", "set"}
    store.delete("bff:slid:" + login_id)  # five minutes later: slide session and login together
    store.expire(session_key, 8 * 3600 - 301)
    store.expire(login_key, 100)
    client.get("/api/events", headers=CSRF)
    assert store.ttl(session_key) > 8 * 3600 - 5 and store.ttl(login_key) > 8 * 3600 - 5


def test_a_cookie_the_api_sets_for_one_user_never_rides_on_another_users_call(app, api_requests):
    alice, bob = app.test_client(), app.test_client()
    sign_in(alice)
    sign_in(bob)
    answer = alice.get("/api/events?set_cookie=alice-backend", headers=CSRF)
    assert "upstream-sticky" not in answer.headers.get("Set-Cookie", "")
    bob.get("/api/events", headers=CSRF)
    assert "Cookie" not in api_requests[-1]["headers"]


def test_a_body_over_the_cap_is_refused_with_413_json_and_never_forwarded(
    redis_url, api_server, api_requests
):
    app = create_app(make_config(redis_url, api_server.url, max_body_bytes=1000))
    client = app.test_client()
    sign_in(client)
    response = client.post("/api/events", data="x" * 1001, headers=CSRF)
    assert response.status_code == 413 and body(response)["error"] == "invalid_request"
    assert not api_requests


def test_a_body_within_the_cap_is_forwarded_whole(client, auth, api_requests):
    auth.sign_in()
    client.post("/api/events", data="y" * 5000, headers=CSRF | {"Content-Type": "text/plain"})
    assert api_requests[-1]["body"] == "y" * 5000


def test_a_chunked_body_is_refused_with_411(client, auth, api_requests):
    auth.sign_in()
    headers = CSRF | {"Transfer-Encoding": "chunked"}
    response = client.post("/api/events", input_stream=io.BytesIO(b"{}"), headers=headers)
    assert response.status_code == 411 and not api_requests


@pytest.mark.parametrize(
    "path", ["/api//events", "//api/events", "/bff//user", "/bff/login/", "/bff/user/", "/x/../"]
)
def test_no_answer_redirects_to_a_host_taken_from_the_request(client, auth, path):
    auth.sign_in()
    response = client.post(path, headers=CSRF, base_url="http://evil.example")
    assert "evil.example" not in response.headers.get("Location", "")
    assert response.status_code < 500


def test_logout_is_a_navigation_whose_redirect_carries_the_id_token_not_a_json_body(
    redis_url, api_server
):
    app = create_app(make_config(redis_url, api_server.url))
    client = app.test_client()
    sign_in(client)
    user = body(client.get("/bff/user", headers=CSRF))
    assert "id-token-1" not in str(user) and user["logout_url"].startswith("/bff/logout?sid=")
    assert client.post("/bff/logout", headers=CSRF).status_code == 405  # no JSON variant left
    response = sign_out(client)
    assert response.status_code == 302 and "id-token-1" not in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?sid=0123456789abcdef"])
def test_a_cross_site_logout_link_without_this_sessions_sid_signs_nobody_out(client, auth, query):
    auth.sign_in()
    response = client.get("/bff/logout" + query)
    assert response.status_code == 400
    assert client.get("/bff/user", headers=CSRF).status_code == 200


def test_logins_over_the_rate_limit_get_429_with_retry_after(redis_url, api_server):
    app = create_app(make_config(redis_url, api_server.url, rate_limit_login="3/minute"))
    client = app.test_client()
    answers = [client.get("/bff/login") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 61
    other_address = client.get("/bff/login", environ_overrides={"REMOTE_ADDR": "10.9.8.7"})
    assert other_address.status_code == 302  # counted per client address


def test_callbacks_over_the_rate_limit_get_429(redis_url, api_server):
    app = create_app(make_config(redis_url, api_server.url, rate_limit_callback="2/minute"))
    client = app.test_client()
    codes = [client.get("/bff/callback?state=nope").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_back_channel_logouts_over_the_rate_limit_get_429_json(redis_url, api_server):
    app = create_app(make_config(redis_url, api_server.url, rate_limit_backchannel="2/minute"))
    client = app.test_client()
    answers = [client.post("/bff/backchannel-logout") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [400, 400, 429]
    assert body(answers[-1])["error"] == "rate_limited" and answers[-1].headers["Retry-After"]


@contextlib.contextmanager
def full(store: redis.Redis):
    """The private Redis, full: it refuses every write until the block ends."""
    before = store.config_get("maxmemory")["maxmemory"] or "0"
    store.config_set("maxmemory", store.info("memory")["used_memory"] - 1024)
    try:
        yield
    finally:
        store.config_set("maxmemory", before)


def test_a_full_redis_refuses_new_logins_with_503_and_signed_in_users_carry_on(
    client, auth, redis_url
):
    auth.sign_in()
    anonymous = client.application.test_client()
    with full(redis.Redis.from_url(redis_url)):
        response = anonymous.get("/bff/login")
        signed_in = client.get("/api/events", headers=CSRF)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert signed_in.status_code == 200


def test_with_replicas_required_a_login_and_a_refresh_wait_for_their_acknowledgement(
    redis_url, api_server
):
    config = make_config(redis_url, api_server.url, redis_wait_replicas=1, redis_wait_ms=1)
    client = create_app(config).test_client()
    store = redis.Redis.from_url(redis_url)
    _, commands = redis_calls(store, lambda: sign_in(client))
    assert "wait" in commands  # this Redis has no replica: WAIT gives up after 1 ms
    _, steady = redis_calls(store, lambda: client.get("/api/events", headers=CSRF))
    assert "wait" not in steady


def test_a_session_whose_login_ended_elsewhere_is_not_kept_alive(app, client, auth, redis_url):
    login_id = auth.sign_in()
    app.extensions["bff"].logins.delete(login_id)  # as back-channel logout does
    store = redis.Redis.from_url(redis_url)
    store.delete("bff:slid:" + login_id)  # due for a slide, were it still signed in
    assert client.get("/bff/user", headers=CSRF).status_code == 401
    assert not store.exists("bff:session:" + login_id)
