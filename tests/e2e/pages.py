"""What a person does in the browser, shared by the end-to-end tests."""

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, stack, username: str, password: str) -> None:
    """Click through the IdP's real login page, and its consent page when it asks."""
    page.goto(stack.bff)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("^" + re.escape(stack.idp)))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    allow = page.get_by_role("button", name="Allow")
    # Wait for whichever comes: the consent page (first time) or the calendar (consent remembered).
    expect(allow.or_(page.locator("#who", has_text="Signed in as"))).to_be_visible()
    if allow.is_visible():
        expect(page.get_by_text("See the events in your calendar")).to_be_visible()
        allow.click()
    expect(page).to_have_url(stack.bff + "/")
