"""A session ended elsewhere is said in words, nothing typed is lost, the sessions list keeps up."""

import re

import pytest
from playwright.sync_api import expect

from .pages import sign_in

pytestmark = pytest.mark.e2e


def test_a_session_ended_from_another_browser_is_explained_and_the_typed_event_survives(
    browser, stack
):
    laptop, phone = browser.new_context(), browser.new_context()
    laptop_page, phone_page = laptop.new_page(), phone.new_page()
    sign_in(phone_page, stack, "alice", "wonderland")
    sign_in(laptop_page, stack, "alice", "wonderland")

    # The phone starts typing an event; meanwhile the laptop ends the phone's session.
    phone_page.get_by_label("Title").fill("Tea with the Hatter")
    phone_page.get_by_label("Start").fill("2030-03-01T17:00")
    phone_page.get_by_label("End").fill("2030-03-01T18:00")
    sessions = laptop_page.locator("#session-list li")
    expect(sessions).to_have_count(2)
    sessions.get_by_role("button", name="End session").click()
    expect(sessions).to_have_count(1)

    phone_page.get_by_role("button", name="Add event").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("Your session has ended")
    phone_page.get_by_role("button", name="Sign in").click()
    # The IdP still knows this browser: it may send it straight back, or ask again.
    password = phone_page.get_by_label("Password")
    expect(password.or_(phone_page.locator("#who", has_text="Signed in as"))).to_be_visible()
    if password.is_visible():
        phone_page.get_by_label("Username").fill("alice")
        password.fill("wonderland")
        phone_page.get_by_role("button", name="Sign in").click()
    expect(phone_page).to_have_url(re.compile("^" + re.escape(stack.bff)))
    expect(phone_page.get_by_label("Title")).to_have_value("Tea with the Hatter")
    expect(phone_page.get_by_label("Start")).to_have_value("2030-03-01T17:00")
    expect(phone_page.get_by_role("alert")).to_contain_text("unsaved event is back")
    laptop.close()
    phone.close()


def test_the_sessions_list_shows_a_new_sign_in_without_a_reload(browser, stack):
    laptop, phone = browser.new_context(), browser.new_context()
    laptop_page = laptop.new_page()
    sign_in(laptop_page, stack, "bob", "builder")
    sessions = laptop_page.locator("#session-list li")
    before = sessions.count()
    sign_in(phone.new_page(), stack, "bob", "builder")
    # The list polls every 15 s while the page is visible: no reload, no click.
    expect(sessions).to_have_count(before + 1, timeout=40_000)
    laptop.close()
    phone.close()


def test_a_session_ended_while_the_page_is_idle_is_noticed_and_explained(browser, stack):
    laptop, phone = browser.new_context(), browser.new_context()
    laptop_page, phone_page = laptop.new_page(), phone.new_page()
    sign_in(phone_page, stack, "bob", "builder")
    sign_in(laptop_page, stack, "bob", "builder")
    others = laptop_page.locator("#session-list li").filter(has_not_text="This browser")
    while others.count():  # end every other session of bob's, the phone's among them
        count = others.count()
        others.get_by_role("button", name="End session").first.click()
        expect(others).to_have_count(count - 1)
    alert = phone_page.get_by_role("alert")
    expect(alert).to_contain_text("Your session has ended", timeout=40_000)
    expect(phone_page.get_by_role("button", name="Sign in")).to_be_visible()
    laptop.close()
    phone.close()
