"""Trainer mode's timeline over real HTTP: every step recorded, explained, secrets redacted."""

import json

import pytest
import requests

from tests.support.forms import submit_form
from tests.support.stack import CSRF, running_stack

TRAINER = {"bff": {"TRAINER_MODE": "1"}, "api": {"API_TRAINER_MODE": "1"}}
BFF_SECRET = "calendar-bff-secret"


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """The system with trainer mode on in the BFF and verdict headers on in the API."""
    with running_stack(redis_server.url, tmp_path_factory.mktemp("trainer"), TRAINER) as running:
        yield running


def timeline(stack, http: requests.Session) -> list[dict]:
    return http.get(stack.bff + "/bff/trainer/timeline", headers=CSRF).json()["events"]


def by_kind(events: list[dict], kind: str) -> dict:
    return next(event for event in events if event["kind"] == kind)


def test_sign_in_is_recorded_step_by_step_with_each_parameter_explained(stack):
    http = stack.signed_in()
    events = timeline(stack, http)
    kinds = [event["kind"] for event in events]
    assert kinds == ["authorization_request", "callback", "token_request", "token_response"]
    request = {row["name"]: row for row in by_kind(events, "authorization_request")["params"]}
    for name in ("client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge"):
        assert request[name]["why"], name
    assert request["code_challenge_method"]["value"] == "S256"
    checks = {c["name"]: c["result"] for c in by_kind(events, "callback")["checks"]}
    assert checks == {"state": "ok", "iss": "ok"}


def test_token_request_shows_the_verifier_and_never_the_client_secret(stack):
    http = stack.signed_in()
    events = timeline(stack, http)
    token_request = {
        row["name"]: row["value"] for row in by_kind(events, "token_request")["params"]
    }
    assert token_request["client_secret"] == "[redacted]"
    assert (
        token_request["code_verifier"]
        == by_kind(events, "authorization_request")["pkce"]["verifier"]
    )
    assert BFF_SECRET not in json.dumps(events)


def test_tokens_are_decoded_with_header_claims_and_verdict(stack):
    events = timeline(stack, stack.signed_in())
    tokens = {t["name"]: t for t in by_kind(events, "token_response")["tokens"]}
    assert tokens["access_token"]["header"]["typ"] == "at+jwt"
    assert tokens["access_token"]["claims"]["aud"] == "calendar-api"
    assert tokens["id_token"]["claims"]["aud"] == "calendar-bff"
    assert "header" not in tokens["refresh_token"]  # opaque


def test_api_call_carries_the_api_verdict_for_each_check(stack):
    http = stack.signed_in()
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    checks = {c["name"]: c["result"] for c in by_kind(timeline(stack, http), "api_call")["checks"]}
    assert checks == dict.fromkeys(("typ", "signature", "iss", "aud", "exp", "scope"), "ok")


def test_expire_now_makes_the_next_api_call_refresh_and_the_refresh_is_recorded(stack):
    http = stack.signed_in()
    assert http.post(stack.bff + "/bff/trainer/expire-now", headers=CSRF).status_code == 200
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    kinds = [event["kind"] for event in timeline(stack, http)]
    assert kinds[-4:] == ["expire_now", "refresh_request", "refresh_response", "api_call"]


def test_reminder_job_runs_client_credentials_in_its_own_lane(stack):
    http = stack.signed_in()
    outcome = http.post(stack.bff + "/bff/trainer/m2m", headers=CSRF).json()
    assert outcome["token"] == {"status": 200, "scope": "calendar:reminders"}
    assert outcome["call"]["status"] == 200
    m2m = [event for event in timeline(stack, http) if event["kind"].startswith("m2m")]
    assert [event["kind"] for event in m2m] == ["m2m_discovery", "m2m_token", "m2m_call"]
    assert all("Job" in event["lanes"] for event in m2m)
    token = {row["name"]: row["value"] for row in m2m[1]["params"]}
    assert token["client_secret"] == "[redacted]" and token["grant_type"] == "client_credentials"
    assert "reminder-job-secret" not in json.dumps(m2m)


def test_logout_is_recorded_and_the_timeline_survives_it(stack):
    http = stack.signed_in()
    assert stack.sign_out(http).status_code == 302
    last = timeline(stack, http)[-1]
    assert last["kind"] == "logout"
    assert ["BFF", "IdP", "revoke refresh token (RFC 7009)"] in last["arrows"]


def test_step_mode_pauses_before_the_redirect_to_the_idp(stack):
    http = requests.Session()
    http.put(stack.bff + "/bff/trainer/step-mode", json={"on": True}, headers=CSRF)
    page = http.get(stack.bff + "/bff/login")
    assert page.url.startswith(stack.bff) and "Next" in page.text
    assert "code_challenge_method" in page.text and "match:" in page.text


def test_another_browser_sees_only_its_own_timeline(stack):
    stack.signed_in("alice")
    assert timeline(stack, requests.Session()) == []


def test_backchannel_logout_from_the_idp_is_recorded_on_the_sessions_timeline(stack):
    http = stack.signed_in()
    apps = http.get(stack.idp + "/apps")  # alice revokes the Calendar app at the IdP
    submit_form(http, apps)
    last = timeline(stack, http)[-1]
    assert last["kind"] == "backchannel_logout"
    assert last["tokens"][0]["claims"]["events"]
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401
