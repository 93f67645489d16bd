"""Trainer mode's timeline over real HTTP: every step recorded, explained, secrets redacted."""

import base64
import html
import json
import re
from urllib.parse import urlsplit

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
    call = by_kind(timeline(stack, http), "api_call")
    checks = {c["name"]: (c["outcome"], c["result"]) for c in call["checks"]}
    assert {"typ", "kid", "signature", "iss", "aud", "exp", "scope"} <= set(checks)
    assert set(checks.values()) == {("passed", "ok")}
    assert call["api_verdict"]["decision"] == "accepted"


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


def raw_http(stack, http: requests.Session, seq: int) -> list[dict]:
    answer = http.get(f"{stack.bff}/bff/trainer/http/{seq}", headers=CSRF)
    assert answer.status_code == 200
    return answer.json()["exchanges"]


def headers_of(part: dict) -> dict:
    return {name.lower(): value for name, value in part["headers"]}


def test_raw_http_of_the_token_request_is_the_post_with_basic_auth_and_secret_redacted(stack):
    http = stack.signed_in()
    events = timeline(stack, http)
    exchanges = raw_http(stack, http, by_kind(events, "token_request")["seq"])
    post = next(e for e in exchanges if e["request"]["method"] == "POST")
    assert (post["from"], post["to"]) == ("BFF", "IdP")
    assert post["request"]["url"].endswith("/token")
    assert "grant_type=authorization_code" in post["request"]["body"]
    assert headers_of(post["request"])["authorization"].startswith("Basic [redacted]")
    assert post["response"]["status"] == 200
    assert '"access_token"' in post["response"]["body"]
    assert {"code", "code_verifier", "access_token", "id_token", "refresh_token"} <= {
        token["name"] for token in post["tokens"]
    }
    everything = json.dumps([raw_http(stack, http, e["seq"]) for e in events])
    assert BFF_SECRET not in everything
    assert base64.b64encode(f"calendar-bff:{BFF_SECRET}".encode()).decode() not in everything


def test_raw_http_of_the_callback_starts_with_the_browsers_request_and_hides_cookies(stack):
    http = stack.signed_in()
    exchanges = raw_http(stack, http, by_kind(timeline(stack, http), "callback")["seq"])
    browser = exchanges[0]
    assert (browser["from"], browser["to"]) == ("Browser", "BFF")
    assert browser["request"]["method"] == "GET" and "/bff/callback?" in browser["request"]["url"]
    assert browser["response"]["status"] == 302
    cookie = headers_of(browser["response"])["set-cookie"]
    assert "=[redacted]" in cookie and "HttpOnly" in cookie
    sent_cookie = headers_of(browser["request"]).get("cookie", "")
    assert all(part.endswith("=[redacted]") for part in sent_cookie.split("; ") if part)


def test_raw_http_of_an_api_call_lists_the_bearer_token_for_masking(stack):
    http = stack.signed_in()
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    exchanges = raw_http(stack, http, by_kind(timeline(stack, http), "api_call")["seq"])
    assert [(e["from"], e["to"]) for e in exchanges] == [("Browser", "BFF"), ("BFF", "API")]
    to_api = exchanges[1]
    bearer = headers_of(to_api["request"])["authorization"].removeprefix("Bearer ")
    assert {"name": "access_token", "value": bearer} in to_api["tokens"]
    assert '"events"' in to_api["response"]["body"]


def test_clear_timeline_forgets_the_steps_and_numbering_goes_on(stack):
    http = stack.signed_in()
    last = timeline(stack, http)[-1]["seq"]
    assert http.delete(stack.bff + "/bff/trainer/timeline", headers=CSRF).status_code == 200
    assert timeline(stack, http) == []
    assert raw_http(stack, http, last) == []
    assert http.get(stack.bff + "/api/events", headers=CSRF).status_code == 200
    assert [e["seq"] for e in timeline(stack, http)] == [last + 1]


def test_reminder_job_parameters_are_explained_for_the_job_not_the_bff(stack):
    http = stack.signed_in()
    http.post(stack.bff + "/bff/trainer/m2m", headers=CSRF)
    events = timeline(stack, http)
    why = {row["name"]: row["why"] for row in by_kind(events, "m2m_token")["params"]}
    assert "reminder job" in why["client_id"] and "(the BFF, a confidential" not in why["client_id"]
    assert "reminder job" in why["client_secret"] and "BFF's" not in why["client_secret"]
    assert "the user sees these" not in why["scope"]
    discovery = {row["name"]: row["why"] for row in by_kind(events, "m2m_discovery")["params"]}
    assert discovery["token_endpoint"]


def test_logout_explains_the_end_session_endpoint(stack):
    http = stack.signed_in()
    stack.sign_out(http)
    rows = {row["name"]: row for row in timeline(stack, http)[-1]["params"]}
    assert rows["end_session_endpoint"]["why"]


def test_pause_before_the_idp_shows_the_url_the_browser_carries(stack):
    http = requests.Session()
    http.put(stack.bff + "/bff/trainer/step-mode", json={"on": True}, headers=CSRF)
    page = http.get(stack.bff + "/bff/login")
    assert 'data-testid="authorize-url"' in page.text
    assert stack.idp in page.text and "code_challenge=" in page.text


def next_link(page: requests.Response) -> str:
    """Where the pause page's Next link goes, as written in the page."""
    match = re.search(r'class="trainer-next" href="([^"]+)"', page.text)
    assert match, page.text[:300]
    return html.unescape(match.group(1))


def test_pause_at_the_callback_links_on_without_trusting_the_host_header(stack):
    http = requests.Session()
    http.put(stack.bff + "/bff/trainer/step-mode", json={"on": True}, headers=CSRF)
    to_idp = http.get(next_link(http.get(stack.bff + "/bff/login")))
    page = submit_form(http, to_idp, {"username": "alice", "password": "wonderland"})
    if "decision" in page.text:
        page = submit_form(http, page, button="allow")
    assert urlsplit(page.url).path == "/bff/callback" and "Next" in page.text
    # The same pause again, under a forged Host (the cookie by hand: requests would match the
    # jar against the Host header and send none).
    forged = {"Host": "evil.example", "Cookie": f"bff-session={http.cookies['bff-session']}"}
    again = requests.get(page.url, headers=forged)
    assert next_link(again).startswith("/bff/callback?") and "evil.example" not in again.text
    signed_in = http.get(stack.bff + next_link(again))
    assert signed_in.url == stack.bff + "/"
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
