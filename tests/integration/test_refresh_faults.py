"""Refreshes whose answers come late or never: the user stays signed in, one token family lives."""

import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.bff_state import expire_access_tokens
from tests.support.stack import CSRF, running_stack


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    # The BFF gives up on the IdP after 4 s instead of 10: the same faults, in less time.
    extra = {"idp": {"IDP_TEST_CONTROLS": "1"}, "bff": {"BFF_IDP_TIMEOUT_SECONDS": "4"}}
    with running_stack(redis_server.url, tmp_path_factory.mktemp("refresh"), extra) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(stack, redis_url):
    requests.post(stack.idp + "/test/reset").raise_for_status()


def refresh_tokens_of(stack, http) -> dict:
    """Live refresh tokens and families the IdP holds for the signed-in user."""
    sub = http.get(stack.bff + "/bff/user", headers=CSRF).json()["claims"]["sub"]
    return requests.get(stack.idp + "/test/refresh-tokens", params={"sub": sub}).json()


def eventually_ok(http, url: str, attempts: int = 20) -> requests.Response:
    """Call until the answer is not a 503 (the BFF says "retry"), as the SPA would."""
    for _ in range(attempts):
        answer = http.get(url, headers=CSRF, timeout=30)
        if answer.status_code != 503:
            return answer
        time.sleep(float(answer.headers.get("Retry-After", 1)) / 5)
    return answer


def test_a_refresh_answered_after_the_bff_gave_up_does_not_sign_the_user_out(stack, redis_url):
    http = stack.signed_in("alice")
    expire_access_tokens(redis_url)
    # The IdP rotates the refresh token 6 s later: after the BFF's 4 s timeout.
    delay = {"seconds": 6, "grant_type": "refresh_token"}
    requests.post(stack.idp + "/test/delay", json=delay).raise_for_status()
    first = http.get(stack.bff + "/api/events", headers=CSRF, timeout=30)
    assert first.status_code == 503  # the access token had expired: nothing to fall back on
    answer = eventually_ok(http, stack.bff + "/api/events")
    assert answer.status_code == 200
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
    assert refresh_tokens_of(stack, http)["families"] == 1


def call(http, url: str) -> requests.Response:
    return http.get(url, headers=CSRF, timeout=60)


def test_a_frozen_idp_does_not_sign_out_the_users_who_needed_a_refresh(stack, redis_url):
    http = stack.signed_in("alice")
    expire_access_tokens(redis_url)
    idp = stack.services["idp"]
    # SIGSTOP freezes the IdP's master and workers: connections queue, nothing answers.
    workers = subprocess.run(["pgrep", "-P", str(idp.process.pid)], capture_output=True, text=True)
    group = [idp.process.pid, *map(int, workers.stdout.split())]
    for pid in group:
        os.kill(pid, signal.SIGSTOP)
    try:
        # Three calls at once: each waits for the refresh lock, then for the frozen IdP, so
        # refresh requests pile up at the IdP, to be answered only after it thaws.
        with ThreadPoolExecutor(max_workers=3) as pool:
            calls = [pool.submit(call, http, stack.bff + "/api/events") for _ in range(3)]
            statuses = [future.result().status_code for future in calls]
        assert statuses == [503, 503, 503]
    finally:
        for pid in group:
            os.kill(pid, signal.SIGCONT)
    answer = eventually_ok(http, stack.bff + "/api/events")
    assert answer.status_code == 200
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
    assert refresh_tokens_of(stack, http)["families"] == 1
