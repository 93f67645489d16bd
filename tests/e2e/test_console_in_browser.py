"""A visit in normal use leaves the console clean; the SPA's calls are tied to the logs."""

import json

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .pages import sign_in

pytestmark = pytest.mark.e2e


def watch_console(page: Page) -> list[str]:
    """Every console error and uncaught exception of the page, from now on."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def test_no_console_error_signed_out_signing_in_adding_an_event_and_signing_out(page, stack):
    problems = watch_console(page)
    page.goto(stack.bff)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, stack, "alice", "wonderland")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    page.get_by_label("Title").fill("Tea party")
    page.get_by_label("Start").fill("2030-03-20T17:00")
    page.get_by_label("End").fill("2030-03-20T18:00")
    page.get_by_role("button", name="Add event").click()
    expect(page.get_by_text("Tea party")).to_be_visible()
    page.reload()
    expect(page.locator("#session-list li", has_text="This browser")).to_have_count(1)
    page.get_by_role("button", name="Delete Tea party").click()
    expect(page.get_by_text("No events yet.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert problems == []


def test_the_spa_sends_a_request_id_that_the_bff_logs_for_the_call(page, stack):
    sign_in(page, stack, "alice", "wonderland")
    # The answer, not just the request: the BFF writes its lines before it answers.
    with page.expect_response(lambda r: r.url.endswith("/api/events")) as answered:
        page.reload()
    request_id = answered.value.request.headers["x-request-id"]
    assert answered.value.headers["x-request-id"] == request_id
    log = (stack.state_dir / "services.log").read_text().splitlines()
    lines = [json.loads(line) for line in log if line.startswith("{") and request_id in line]
    bff_line = next(line for line in lines if line["service"] == "bff")
    assert bff_line["event"] == "request" and bff_line["upstream_status"] == 200
