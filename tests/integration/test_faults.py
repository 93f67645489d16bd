"""Faults: Redis and the IdP go away mid-run; the BFF answers clearly, loses nothing, recovers."""

import json
import time

import pytest
import requests

from devstack.ports import free_port
from devstack.redis import RedisServer
from tests.support.bff_state import expire_access_tokens
from tests.support.stack import CSRF, running_stack


@pytest.fixture(scope="module")
def private_redis():
    """A Redis of this module's own, so stopping it cannot disturb other tests."""
    server = RedisServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(private_redis, tmp_path_factory):
    with running_stack(private_redis.url, tmp_path_factory.mktemp("faults")) as running:
        yield running


def test_redis_outage_is_503_json_then_the_bff_recovers_by_itself(stack, private_redis):
    http = stack.signed_in("alice")
    private_redis.stop()
    try:
        for call in (
            lambda: http.get(stack.bff + "/api/events", headers=CSRF),
            lambda: http.post(stack.bff + "/api/events", json={"title": "x"}, headers=CSRF),
            lambda: http.get(stack.bff + "/bff/user", headers=CSRF),
        ):
            answer = call()
            assert answer.status_code == 503, answer.text
            assert (
                answer.headers["Retry-After"]
                and answer.json()["error"] == "temporarily_unavailable"
            )
            assert "Location" not in answer.headers
        page = http.get(stack.bff + "/bff/login", allow_redirects=False)
        assert page.status_code == 503 and "text/html" in page.headers["Content-Type"]
    finally:
        private_redis.start()
    # This Redis keeps nothing on disk, so the old session is gone: a clean 401, then a new login.
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401
    again = stack.signed_in("alice")
    assert again.get(stack.bff + "/api/events", headers=CSRF).status_code == 200


def test_idp_unreachable_during_refresh_and_logout_keeps_the_session(stack, private_redis):
    http = stack.signed_in("alice")
    expire_access_tokens(private_redis.url)
    idp = stack.services["idp"]
    idp.stop()
    try:
        answer = http.get(stack.bff + "/api/events", headers=CSRF)
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        logout = stack.sign_out(http)
        assert logout.status_code == 502 and "try again" in logout.text
        assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
    finally:
        idp.start().wait_healthy()
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200


def wait_for(condition, timeout: float = 15.0):
    """Poll `condition` until it returns something true, within a bounded time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_redis_outage_logs_one_line_per_failed_call_and_no_traceback(stack, private_redis):
    http = stack.signed_in("alice")
    log = stack.state_dir / "services.log"
    start = log.stat().st_size
    private_redis.stop()
    try:
        for _ in range(10):
            assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 503
    finally:
        private_redis.start()
    with log.open() as text:
        text.seek(start)
        written = text.read()
    assert "Traceback" not in written
    lines = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    faults = [line for line in lines if line["event"] == "session_store_unreachable"]
    assert len(faults) == 10 and all(line["outcome"] == "fault" for line in faults)
    # Besides them, only each call's own request line.
    assert {line["event"] for line in lines} <= {"session_store_unreachable", "request"}


def not_ready(stack) -> dict | None:
    """The readiness checks, once the BFF reports itself not ready."""
    answer = requests.get(stack.bff + "/readyz")
    return answer.json()["checks"] if answer.status_code == 503 else None


def test_readiness_names_what_is_missing_while_liveness_stays_up(stack, private_redis):
    assert requests.get(stack.bff + "/readyz").status_code == 200
    private_redis.stop()
    try:
        checks = wait_for(lambda: not_ready(stack))
        assert checks == {"redis": "unreachable", "idp_discovery": "ok"}
        assert requests.get(stack.bff + "/healthz").status_code == 200
    finally:
        private_redis.start()
    idp = stack.services["idp"]
    idp.stop()
    try:
        # (Each worker caches its last checks for a few seconds: wait for this fault to show.)
        checks = wait_for(lambda: (not_ready(stack) or {}).get("idp_discovery") == "unreachable")
        assert checks
    finally:
        idp.start().wait_healthy()
    wait_for(lambda: requests.get(stack.bff + "/readyz").status_code == 200)
