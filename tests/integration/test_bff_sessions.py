"""BFF sessions and tokens against the real IdP, with two BFF processes sharing one Redis."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devstack.ports import free_port
from devstack.services import Service
from tests.support.bff_state import expire_access_tokens, login_records
from tests.support.stack import CSRF, running_stack


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """The system with IdP test controls on and a second BFF process (a replica)."""
    extra = {"idp": {"IDP_TEST_CONTROLS": "1"}}
    with running_stack(redis_server.url, tmp_path_factory.mktemp("bff"), extra) as running:
        replica = Service("bff-2", "bff:create_app()", free_port(), running.services["bff"].env)
        replica.start().wait_healthy()
        running.bff_replica = replica.url
        yield running
        replica.stop()


@pytest.fixture(autouse=True)
def fresh(stack, redis_url):
    """Each test starts with empty Redis (`redis_url`) and zeroed IdP counters."""
    requests.post(stack.idp + "/test/reset").raise_for_status()


def refreshes(stack) -> int:
    return requests.get(stack.idp + "/test/counters").json().get("refresh_token", 0)


def cookie_header(http: requests.Session) -> dict:
    return {"Cookie": f"bff-session={http.cookies['bff-session']}"} | CSRF


def test_login_through_one_bff_process_works_through_another(stack):
    http = stack.signed_in("alice")
    answer = requests.get(stack.bff_replica + "/bff/user", headers=cookie_header(http))
    assert answer.status_code == 200 and answer.json()["claims"]["name"] == "Alice Liddell"


def test_access_token_near_expiry_is_refreshed_once_and_rotated(stack, redis_url):
    http = stack.signed_in("alice")
    before = next(iter(login_records(redis_url).values()))
    expire_access_tokens(redis_url)
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    after = next(iter(login_records(redis_url).values()))
    assert refreshes(stack) == 1
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != before["access_token"]


def test_fifty_parallel_calls_at_expiry_refresh_once_across_two_processes(stack, redis_url):
    http = stack.signed_in("alice")
    expire_access_tokens(redis_url)
    headers = cookie_header(http)
    targets = [(stack.bff, stack.bff_replica)[i % 2] + "/api/events" for i in range(50)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(
            pool.map(lambda url: requests.get(url, headers=headers).status_code, targets)
        )
    assert statuses == [200] * 50
    assert refreshes(stack) == 1
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200


def test_refresh_token_refused_by_the_idp_ends_the_session_with_401(stack, redis_url):
    http = stack.signed_in("alice")
    expire_access_tokens(redis_url)
    failure = {"error": "invalid_grant", "grant_type": "refresh_token"}
    requests.post(stack.idp + "/test/fail-next", json=failure).raise_for_status()
    answer = http.get(stack.bff + "/api/events", headers=CSRF)
    assert answer.status_code == 401 and answer.json()["error"] == "login_required"
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401


def test_transient_idp_failure_during_refresh_is_503_and_keeps_the_session(stack, redis_url):
    http = stack.signed_in("alice")
    expire_access_tokens(redis_url)
    failure = {"error": "temporarily_unavailable", "status": 503, "grant_type": "refresh_token"}
    requests.post(stack.idp + "/test/fail-next", json=failure).raise_for_status()
    answer = http.get(stack.bff + "/api/events", headers=CSRF)
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200


def test_logout_revokes_the_refresh_token_and_sends_the_browser_to_end_session(stack, redis_url):
    http = stack.signed_in("alice")
    record = next(iter(login_records(redis_url).values()))
    answer = stack.sign_out(http)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(stack.idp + "/logout?")
    assert "id_token_hint=" in answer.headers["Location"]
    assert "post_logout_redirect_uri=" in answer.headers["Location"]
    introspection = requests.post(
        stack.idp + "/introspect",
        data={"token": record["refresh_token"]},
        auth=("calendar-bff", "calendar-bff-secret"),
    ).json()
    assert introspection["active"] is False


def test_back_channel_logout_from_the_idp_ends_the_bff_session(stack, redis_url):
    http = stack.signed_in("alice")
    id_token = next(iter(login_records(redis_url).values()))["id_token"]
    # The user signs out at the IdP directly (another app's logout): the IdP tells the BFF.
    ended = http.get(stack.idp + "/logout", params={"id_token_hint": id_token})
    assert ended.status_code == 200
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401
    assert login_records(redis_url) == {}


def test_user_can_list_sessions_and_end_another_one(stack):
    laptop, phone = stack.signed_in("bob"), stack.signed_in("bob")
    sessions = laptop.get(stack.bff + "/bff/sessions", headers=CSRF).json()["sessions"]
    assert len(sessions) == 2
    other = next(s["id"] for s in sessions if not s["current"])
    assert laptop.delete(stack.bff + f"/bff/sessions/{other}", headers=CSRF).status_code == 204
    assert phone.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401
    assert laptop.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
