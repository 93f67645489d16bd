"""Trainer mode in Chromium: the step-by-step walk from sign-in through a refresh to logout."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.stack import running_stack

pytestmark = pytest.mark.e2e
TRAINER = {"bff": {"TRAINER_MODE": "1"}, "api": {"API_TRAINER_MODE": "1"}}


@pytest.fixture(scope="module")
def stack(empty_redis, tmp_path_factory):
    """The system with trainer mode on in the BFF and verdict headers on in the API."""
    with running_stack(empty_redis, tmp_path_factory.mktemp("trainer"), TRAINER) as running:
        yield running


def heading(page: Page, text: str):
    return page.get_by_role("heading", name=re.compile(text))


def diagram_text(page: Page, text: str):
    return page.locator(".trainer-diagram svg text", has_text=text)


def click_next_in_dialog(page: Page, expected: str) -> None:
    dialog = page.locator("#trainer-dialog")
    expect(dialog).to_contain_text(expected)
    dialog.get_by_role("button", name="Next").click()


def sign_in_at_the_idp(page: Page, stack) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(stack.idp)))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wonderland")
    page.get_by_role("button", name="Sign in").click()
    allow = page.get_by_role("button", name="Allow")
    # Consent is asked the first time only: wait for it or for the next pause page.
    expect(allow.or_(heading(page, "exchanges the code for tokens"))).to_be_visible()
    if allow.is_visible():
        allow.click()


def test_step_by_step_walk_pauses_explains_and_records_sign_in_refresh_and_logout(browser, stack):
    page = browser.new_context().new_page()
    page.goto(stack.bff)
    expect(page.get_by_text("Trainer mode").first).to_be_visible()
    with page.expect_response("**/bff/trainer/step-mode"):
        page.get_by_label("Step-by-step mode").check()

    page.get_by_role("button", name="Sign in").click()
    expect(heading(page, "sends your browser to the identity provider")).to_be_visible()
    expect(page.get_by_text("Trainer mode").first).to_be_visible()
    params = page.locator("table.trainer-params")
    for name in ("client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge_method"):
        expect(params).to_contain_text(name)
    expect(params).to_contain_text("calendar-bff")
    expect(page.locator(".trainer-pkce")).to_contain_text("match")
    expect(page.get_by_test_id("authorize-url")).to_contain_text("code_challenge=")  # the URL
    page.get_by_role("link", name="Next").click()

    sign_in_at_the_idp(page, stack)
    expect(heading(page, "exchanges the code for tokens")).to_be_visible()
    expect(page.locator("table.trainer-params").first).to_contain_text("iss")
    expect(page.locator(".trainer-checks")).to_contain_text("state: ok")
    expect(page.locator(".trainer-checks")).to_contain_text("iss: ok")
    token_request = page.locator("table.trainer-params").nth(1)
    expect(token_request).to_contain_text("code_verifier")
    expect(token_request).to_contain_text("[redacted]")
    expect(token_request).not_to_contain_text("calendar-bff-secret")
    page.get_by_role("link", name="Next").click()

    expect(page.locator("#trainer-dialog")).to_contain_text("first API call")
    # Behind the dialog the calendar says its events are held, not that there are none.
    expect(page.locator("#trainer-waiting-note")).to_be_visible()
    expect(page.get_by_text("No events yet.")).to_be_hidden()
    click_next_in_dialog(page, "first API call")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    timeline = page.locator("#trainer-timeline")
    for title in ("request: the BFF sends", "Callback", "Token request", "Token response", "API"):
        expect(timeline).to_contain_text(title)
    expect(timeline.locator(".trainer-callback")).to_contain_text("state: ok")
    expect(timeline.locator(".trainer-pkce-verdict").first).to_have_text(re.compile("PKCE match"))
    expect(timeline.locator(".trainer-token_response")).to_contain_text('"at+jwt"')
    expect(timeline.locator(".trainer-token_request")).to_contain_text("[redacted]")
    expect(timeline.locator(".trainer-api_call")).to_contain_text("signature: passed")
    expect(timeline.locator(".trainer-api_call")).to_contain_text("The API accepted the token")
    expect(diagram_text(page, "POST /token code")).to_have_count(1)

    page.get_by_role("button", name="Expire access token now").click()
    expect(page.locator(".trainer-note")).to_contain_text("marked as expired")
    page.reload()
    expect(page.locator("#trainer-dialog")).to_contain_text("refresh the access token")
    expect(page.get_by_text("No events yet.")).to_be_hidden()
    click_next_in_dialog(page, "refresh the access token")
    expect(timeline).to_contain_text("Refresh response")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(timeline).to_contain_text("Logout: revoke")
    expect(diagram_text(page, "end the IdP session")).to_have_count(1)
