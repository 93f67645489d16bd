"""One thin path through every part: login at the real IdP, then calendar calls via the BFF."""

import requests

from tests.support.forms import sign_in, submit_form
from tests.support.stack import CSRF

EVENT = {"title": "Tea party", "start": "2026-12-01T15:00:00Z", "end": "2026-12-01T16:00:00Z"}


def test_signed_in_user_reads_and_writes_own_events_through_the_bff(stack):
    http = stack.signed_in("alice")
    user = http.get(stack.bff + "/bff/user", headers=CSRF).json()
    assert user["claims"]["name"] == "Alice Liddell"

    def event_ids():
        events = http.get(stack.bff + "/api/events", headers=CSRF).json()["events"]
        return {event["id"]: event["title"] for event in events}

    before = event_ids()  # other tests share this stack and may have left events of alice's
    created = http.post(stack.bff + "/api/events", json=EVENT, headers=CSRF)
    assert created.status_code == 201, created.text
    assert event_ids() == before | {created.json()["id"]: "Tea party"}
    deleted = http.delete(stack.bff + f"/api/events/{created.json()['id']}", headers=CSRF)
    assert deleted.status_code == 204
    assert event_ids() == before


def test_users_never_see_each_others_events(stack):
    alice, bob = stack.signed_in("alice"), stack.signed_in("bob")
    alice.post(stack.bff + "/api/events", json=EVENT | {"title": "Alice only"}, headers=CSRF)
    titles = [
        event["title"]
        for event in bob.get(stack.bff + "/api/events", headers=CSRF).json()["events"]
    ]
    assert "Alice only" not in titles


def test_session_id_changes_at_login_against_session_fixation(stack):
    http = requests.Session()
    page = http.get(stack.bff + "/bff/login")
    before = http.cookies.get("bff-session")
    page = submit_form(http, page, {"username": "alice", "password": "wonderland"})
    if "decision" in page.text:
        submit_form(http, page, button="allow")
    after = http.cookies.get("bff-session")
    assert before and after and before != after


def test_wrong_password_shows_error_and_issues_no_code(stack):
    http = requests.Session()
    page = http.get(stack.bff + "/bff/login")
    page = submit_form(http, page, {"username": "alice", "password": "wrong"})
    assert "Invalid username or password" in page.text
    assert (
        "code=" not in page.url
        and http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401
    )


def test_absolute_or_protocol_relative_return_to_lands_on_home(stack):
    for target in ("https://evil.example/", "//evil.example"):
        page = sign_in(requests.Session(), stack.bff, "alice", "wonderland", return_to=target)
        assert page.url == stack.bff + "/", page.url


def test_relative_return_to_is_honoured(stack):
    page = sign_in(requests.Session(), stack.bff, "alice", "wonderland", return_to="/?week=49")
    assert page.url == stack.bff + "/?week=49"


def test_deny_at_consent_shows_a_clear_error_page_and_no_session(stack, redis_url):
    # `redis_url` empties Redis first, so the IdP has no remembered consent and asks again.
    http = requests.Session()
    page = http.get(stack.bff + "/bff/login")
    page = submit_form(http, page, {"username": "bob", "password": "builder"})
    page = submit_form(http, page, button="deny")
    assert page.status_code == 400 and "access_denied" in page.text
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401


def test_the_browser_never_receives_a_token(stack):
    http = stack.signed_in("alice")
    seen = [http.get(stack.bff + path, headers=CSRF).text for path in ("/bff/user", "/api/events")]
    cookies = [cookie.value for cookie in http.cookies]
    for text in seen + cookies:
        assert "eyJ" not in text  # every JWT starts with a base64url '{"'


def test_logout_ends_the_session(stack):
    http = stack.signed_in("alice")
    answer = stack.sign_out(http)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(stack.idp)
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 401


def test_two_tabs_with_logins_pending_both_complete(stack):
    http = requests.Session()
    first_tab = http.get(stack.bff + "/bff/login", params={"returnTo": "/?tab=1"})
    second_tab = http.get(stack.bff + "/bff/login", params={"returnTo": "/?tab=2"})
    for tab, expected in ((second_tab, "/?tab=2"), (first_tab, "/?tab=1")):
        page = submit_form(http, tab, {"username": "alice", "password": "wonderland"})
        if "decision" in page.text:
            page = submit_form(http, page, button="allow")
        assert page.url == stack.bff + expected
    assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
