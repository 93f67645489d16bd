"""Trainer mode's attack buttons against the running system: each defence answers, per standard."""

import json

import pytest
import requests

from tests.support.stack import CSRF, running_stack

TRAINER = {"bff": {"TRAINER_MODE": "1"}, "api": {"API_TRAINER_MODE": "1"}}


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """The system with trainer mode on in the BFF and verdict headers on in the API."""
    with running_stack(redis_server.url, tmp_path_factory.mktemp("trainer"), TRAINER) as running:
        yield running


def attack(stack, http: requests.Session, name: str) -> dict:
    answer = http.post(f"{stack.bff}/bff/trainer/attacks/{name}", headers=CSRF)
    assert answer.status_code == 200, answer.text
    return answer.json()


def timeline(stack, http: requests.Session) -> list[dict]:
    return http.get(stack.bff + "/bff/trainer/timeline", headers=CSRF).json()["events"]


def test_csrf_attack_without_the_header_is_refused_403_csrf_check_failed(stack):
    outcome = attack(stack, stack.signed_in(), "csrf")
    assert outcome["stopped"] is True
    assert outcome["answer"]["status"] == 403
    assert outcome["answer"]["error"] == "csrf_check_failed"
    assert outcome["answer"]["cross_origin"]["error"] == "csrf_check_failed"
    assert "browser-based-apps" in outcome["standard"]


def test_replayed_authorization_code_is_refused_invalid_grant_and_its_tokens_revoked(stack):
    http = stack.signed_in()
    outcome = attack(stack, http, "code-replay")
    assert outcome["stopped"] is True
    assert (outcome["answer"]["status"], outcome["answer"]["error"]) == (400, "invalid_grant")
    assert "RFC 6749 §4.1.2" in outcome["standard"]
    assert outcome["request"]["client_secret"] == "[redacted]"
    assert "refresh token is now dead" in outcome["explanation"]


def test_wrong_pkce_verifier_on_the_next_login_is_refused_and_the_session_is_kept(stack):
    http = stack.signed_in()
    armed = attack(stack, http, "wrong-verifier")
    assert armed["armed"] is True
    page = http.get(stack.bff + armed["next"])  # the IdP remembers alice: straight back
    assert "a wrong PKCE code_verifier" in page.text and "invalid_grant" in page.text
    last = timeline(stack, http)[-1]
    assert last["attack"]["stopped"] is True
    assert last["attack"]["answer"]["error"] == "invalid_grant"
    assert "RFC 7636 §4.6" in last["attack"]["standard"]
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200


def stopped_at(checks: list[dict], name: str) -> None:
    """The API's record: checks before `name` passed, `name` failed, every later one skipped."""
    outcomes = [(check["name"], check["outcome"]) for check in checks]
    first = [check for check, _ in outcomes].index(name)
    assert all(outcome == "passed" for _, outcome in outcomes[:first]), outcomes
    assert outcomes[first] == (name, "failed")
    assert all(outcome == "skipped" for _, outcome in outcomes[first + 1 :]), outcomes


def test_id_token_presented_to_the_api_is_refused_401_invalid_token_on_its_typ(stack):
    outcome = attack(stack, stack.signed_in(), "id-token-to-api")
    assert outcome["stopped"] is True
    assert (outcome["answer"]["status"], outcome["answer"]["error"]) == (401, "invalid_token")
    stopped_at(outcome["answer"]["checks"], "typ")
    assert "at+jwt" in next(c for c in outcome["answer"]["checks"] if c["name"] == "typ")["detail"]
    assert json.loads(outcome["answer"]["verdict"])["decision"] == "refused"
    assert "RFC 9068 §4" in outcome["standard"]


def test_tampered_access_token_is_refused_401_invalid_token_on_its_signature(stack):
    outcome = attack(stack, stack.signed_in(), "tampered-token")
    assert outcome["stopped"] is True
    assert (outcome["answer"]["status"], outcome["answer"]["error"]) == (401, "invalid_token")
    stopped_at(outcome["answer"]["checks"], "signature")


def test_open_redirect_return_to_is_stored_as_slash(stack):
    outcome = attack(stack, stack.signed_in(), "open-redirect")
    assert outcome["stopped"] is True
    assert set(outcome["request"]["stored_return_to"].values()) == {"/"}
    assert "https://evil.example/steal" in outcome["request"]["stored_return_to"]
    assert "RFC 9700" in outcome["standard"]


def test_attacks_need_a_signed_in_session_and_the_csrf_header(stack):
    assert requests.post(stack.bff + "/bff/trainer/attacks/csrf", headers=CSRF).status_code == 401
    assert stack.signed_in().post(stack.bff + "/bff/trainer/attacks/csrf").status_code == 403


def test_tampered_token_attack_shows_the_changed_exp_beside_the_original_and_the_check(stack):
    http = stack.signed_in()
    outcome = attack(stack, http, "tampered-token")
    rows = {row[0]: row[1:] for row in outcome["detail"]["rows"]}
    original, tampered = rows["claims exp"]
    assert int(tampered.split()[0]) == int(original.split()[0]) + 86400
    assert tampered.endswith(" UTC)")
    assert rows["signature"][1].endswith("(unchanged)")
    original, tampered = rows["the API's signature check"]
    assert original.startswith("passed") and tampered.startswith("failed")
    assert rows["the API's kid check"][0].startswith("passed")
    assert outcome["detail"]["stopped_by"]["by"] == "API"
    assert outcome["detail"]["stopped_by"]["check"] == "signature"


def test_checks_skipped_after_a_bad_signature_are_recorded_as_skipped_not_failed(stack):
    http = stack.signed_in()
    attack(stack, http, "tampered-token")
    checks = [check for check in timeline(stack, http)[-1]["checks"] if check["name"] != "defence"]
    stopped_at(checks, "signature")
    later = [check for check in checks if check["outcome"] == "skipped"]
    assert {"iss", "aud", "exp", "scope"} <= {check["name"] for check in later}
    for check in later:
        assert check["result"] == "skipped" and "failed" not in check["detail"], check


def test_id_token_attack_names_the_checks_that_refused_it_beside_the_access_token(stack):
    outcome = attack(stack, stack.signed_in(), "id-token-to-api")
    rows = {row[0]: row[1:] for row in outcome["detail"]["rows"]}
    assert rows["header typ"] == ["at+jwt", "JWT"]
    assert rows["claims aud"] == ["calendar-api", "calendar-bff"]
    assert outcome["detail"]["stopped_by"] | {"detail": ""} == {
        "by": "API",
        "check": "typ",
        "detail": "",
    }
    assert "at+jwt" in outcome["detail"]["stopped_by"]["detail"]
