"""Trainer mode is off by default: its endpoints do not exist and nothing is recorded."""

import re

import pytest
import redis
import requests

from tests.support.bff_state import login_records
from tests.support.stack import CSRF

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")
TRAINER_CALLS = [
    ("GET", "/bff/trainer/status"),
    ("GET", "/bff/trainer/timeline"),
    ("GET", "/bff/trainer/next-call"),
    ("PUT", "/bff/trainer/step-mode"),
    ("POST", "/bff/trainer/expire-now"),
    ("POST", "/bff/trainer/m2m"),
    *[
        ("POST", "/bff/trainer/attacks/" + name)
        for name in ("csrf", "code-replay", "open-redirect")
    ],
]


@pytest.mark.parametrize(("method", "path"), TRAINER_CALLS)
def test_trainer_endpoints_are_absent_when_trainer_mode_is_off(stack, method, path):
    """As absent as a path that never existed: 404 (405 for non-GET, from the static route)."""
    http = stack.signed_in()
    answer = http.request(method, stack.bff + path, headers=CSRF)
    never = http.request(method, stack.bff + "/bff/no-such-endpoint", headers=CSRF)
    assert answer.status_code == never.status_code
    assert answer.status_code == 404 if method == "GET" else answer.status_code in (404, 405)
    assert answer.json()["error"] == never.json()["error"]


def test_nothing_is_recorded_and_no_step_pauses_when_trainer_mode_is_off(stack, redis_url):
    http = stack.signed_in()
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    store = redis.Redis.from_url(redis_url)
    assert list(store.scan_iter("bff:trainer:*")) == []
    assert all("trace_id" not in record for record in login_records(redis_url).values())
    start = requests.get(stack.bff + "/bff/login", allow_redirects=False)
    assert start.status_code == 302 and start.headers["Location"].startswith(stack.idp)


def test_no_token_content_leaves_the_bff_when_trainer_mode_is_off(stack, redis_url):
    http = stack.signed_in()
    answers = [
        http.get(stack.bff + path, headers=CSRF)
        for path in ("/bff/user", "/bff/sessions", "/api/events")
    ]
    answers.append(http.get(stack.bff + "/"))
    tokens = [
        r[k] for r in login_records(redis_url).values() for k in ("access_token", "refresh_token")
    ]
    for answer in answers:
        assert not JWT.search(answer.text), answer.url
        assert "Trainer-Verdict" not in answer.headers
        assert not any(token in answer.text for token in tokens)


def test_api_adds_no_trainer_verdict_when_its_trainer_mode_is_off(stack, redis_url):
    stack.signed_in()
    token = next(iter(login_records(redis_url).values()))["access_token"]
    answer = requests.get(stack.api + "/events", headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 200 and "Trainer-Verdict" not in answer.headers
