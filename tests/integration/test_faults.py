"""Faults: Redis and the IdP go away mid-run; the BFF answers clearly, loses nothing, recovers."""

import pytest

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
        logout = http.post(stack.bff + "/bff/logout", headers=CSRF)
        assert logout.status_code == 502 and logout.json()["error"] == "idp_unavailable"
        assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
    finally:
        idp.start().wait_healthy()
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
