"""Signing out really ends the IdP session, and a user can end another browser's session."""

import re

import pytest
from playwright.sync_api import expect

from .pages import sign_in

pytestmark = pytest.mark.e2e


def test_sign_out_goes_through_the_idp_end_session_page_and_ends_the_idp_session(browser, stack):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, stack, "alice", "wonderland")

    with page.expect_request(re.compile(re.escape(stack.idp) + r"/logout\?.*id_token_hint=")):
        page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(stack.bff + "/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    # The IdP session is gone too (RP-initiated logout): signing in again asks for the password.
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_ending_another_session_from_the_sessions_list_signs_that_browser_out(browser, stack):
    laptop, phone = browser.new_context(), browser.new_context()
    laptop_page, phone_page = laptop.new_page(), phone.new_page()
    sign_in(phone_page, stack, "bob", "builder")
    expect(phone_page.get_by_text("Signed in as Bob Builder")).to_be_visible()
    sign_in(laptop_page, stack, "bob", "builder")
    expect(laptop_page.get_by_text("Signed in as Bob Builder")).to_be_visible()

    sessions = laptop_page.locator("#session-list li")
    this_browser = sessions.filter(has_text="This browser")
    phone_row = sessions.filter(has=laptop_page.get_by_role("button", name="End session"))
    expect(this_browser).to_have_count(1)
    expect(phone_row).to_have_count(1)
    phone_row.get_by_role("button", name="End session").click()
    expect(phone_row).to_have_count(0)
    expect(this_browser).to_have_count(1)

    phone_page.reload()
    expect(phone_page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(laptop_page.get_by_text("Signed in as Bob Builder")).to_be_visible()
