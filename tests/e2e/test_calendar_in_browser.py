"""A person signs in, keeps a calendar, and never holds a token: the whole flow in Chromium."""

import json
import re
from typing import cast

import pytest
import redis
from playwright.sync_api import BrowserContext, Page, expect

from .pages import sign_in

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")
pytestmark = pytest.mark.e2e


def add_event(page: Page, title: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Start").fill("2026-12-24T18:00")
    page.get_by_label("End").fill("2026-12-24T20:00")
    page.get_by_role("button", name="Add event").click()


def server_side_secrets(redis_url: str) -> list[str]:
    """Every token the BFF holds for any session, read from Redis."""
    store = redis.Redis.from_url(redis_url)
    records = [json.loads(cast(bytes, store.get(key))) for key in store.scan_iter("bff:login:*")]
    return [
        r[k] for r in records for k in ("access_token", "refresh_token", "id_token") if r.get(k)
    ]


def assert_browser_holds_no_token(context: BrowserContext, page: Page, secrets: list[str]) -> None:
    storage = page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")
    visible = [cookie["value"] for cookie in context.cookies()] + [storage, page.content()]
    for text in visible:
        assert not JWT.search(text), text[:200]
        for secret in secrets:
            assert secret not in text


def test_alice_keeps_a_calendar_bob_cannot_see_and_no_token_reaches_the_browser(
    browser, stack, redis_server
):
    alice_context = browser.new_context()
    alice = alice_context.new_page()
    sign_in(alice, stack, "alice", "wonderland")
    expect(alice.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    expect(alice.get_by_text("No events yet.")).to_be_visible()

    add_event(alice, "Christmas dinner")
    expect(alice.get_by_text("Christmas dinner")).to_be_visible()
    alice.reload()
    expect(alice.get_by_text("Christmas dinner")).to_be_visible()
    secrets = server_side_secrets(redis_server.url)
    assert secrets, "the BFF should hold alice's tokens in Redis"
    assert_browser_holds_no_token(alice_context, alice, secrets)

    bob_context = browser.new_context()
    bob = bob_context.new_page()
    sign_in(bob, stack, "bob", "builder")
    expect(bob.get_by_text("Signed in as Bob Builder")).to_be_visible()
    expect(bob.get_by_text("No events yet.")).to_be_visible()
    expect(bob.get_by_text("Christmas dinner")).to_have_count(0)
    assert_browser_holds_no_token(bob_context, bob, server_side_secrets(redis_server.url))

    bob.get_by_role("button", name="Sign out").click()
    expect(bob.get_by_role("button", name="Sign in")).to_be_visible()
    status = bob.evaluate(
        "() => fetch('/bff/user', {headers: {'X-CSRF': '1'}}).then(r => r.status)"
    )
    assert status == 401

    alice.get_by_role("button", name="Delete Christmas dinner").click()
    expect(alice.get_by_text("No events yet.")).to_be_visible()


def test_an_event_keeps_its_optional_location_and_one_without_it_shows_none(page, stack):
    sign_in(page, stack, "bob", "builder")
    page.get_by_label("Location").fill("Town hall")
    add_event(page, "Board meeting")
    expect(page.get_by_text("Town hall")).to_be_visible()
    add_event(page, "Quiet evening")
    item = page.get_by_role("listitem").filter(has_text="Quiet evening")
    expect(item).to_be_visible()
    expect(item).not_to_contain_text("·")
    for title in ("Board meeting", "Quiet evening"):
        page.get_by_role("button", name=f"Delete {title}").click()
    expect(page.get_by_text("No events yet.")).to_be_visible()
