"""Trainer mode in a room: the projector view at 1280x720 and 1920x1080, raw HTTP, the hand-out.

Each test saves its screenshots in its pytest-playwright output folder (test-results/<test>/,
emptied at the start of the next pytest run) and names them in the test's output (a junit
`screenshot` property and a printed line), so a reviewer can see what the room would see.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.stack import running_stack

from .pages import sign_in

pytestmark = pytest.mark.e2e
TRAINER = {"bff": {"TRAINER_MODE": "1"}, "api": {"API_TRAINER_MODE": "1"}}
SCREENS = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
BFF_SECRET = "calendar-bff-secret"

# Every visible element of the flow view that holds text itself, with its computed font size.
SMALL_TEXT = """(root) => [...root.querySelectorAll('*')].filter((node) => {
  const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
  const folded = node.closest('details:not([open])') && !node.closest('summary');
  return own && node.getClientRects().length && !folded;
}).map((node) => [node.tagName, node.textContent.trim().slice(0, 40),
  parseFloat(getComputedStyle(node).fontSize)]).filter(([, , size]) => size < 18)"""


@pytest.fixture(scope="module")
def stack(empty_redis, tmp_path_factory):
    """The system with trainer mode on in the BFF and verdict headers on in the API."""
    with running_stack(empty_redis, tmp_path_factory.mktemp("projector"), TRAINER) as running:
        yield running


@pytest.fixture
def shoot(output_path, record_property):
    """Save a screenshot of the page under this test's output folder and name it."""

    def save(page: Page, name: str) -> None:
        path = Path(output_path) / f"{name}.png"
        page.screenshot(path=str(path))
        record_property("screenshot", str(path))
        print(f"screenshot: {path}")

    return save


def lesson_page(browser, stack, size: str) -> Page:
    """Signed in as alice, a tampered token refused, the reminder job run twice."""
    width, height = SCREENS[size]
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in(page, stack, "alice", "wonderland")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    page.get_by_role("button", name="Tampered access token").click()
    expect(page.locator('#trainer-attack-results li[data-attack="tampered-token"]')).to_be_visible()
    for _ in range(2):
        with page.expect_response("**/bff/trainer/m2m"):
            page.get_by_role("button", name="Run the reminder job once").click()
    expect(page.locator("#trainer-timeline")).to_contain_text("Reminder job: GET /reminders")
    return page


@pytest.mark.parametrize("size", sorted(SCREENS))
def test_projector_view_fits_the_screen_keeps_lane_headers_and_says_skipped(
    browser, stack, size, shoot
):
    page = lesson_page(browser, stack, size)
    page.get_by_label("Projector view").check()
    expect(page.locator("body")).to_have_class(re.compile("trainer-projector"))
    timeline = page.locator("#trainer-timeline > li")
    expect(timeline.first).to_contain_text("Reminder job: GET /reminders")  # newest first
    expect(timeline.nth(1).locator(":scope > details")).not_to_have_attribute("open", "")

    diagram = page.locator(".trainer-diagram")
    expect(diagram.locator("svg text", has_text="POST /token client_credentials")).to_have_count(2)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = diagram.locator("svg").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width

    diagram.evaluate("(node) => { node.scrollTop = node.scrollHeight; }")
    assert diagram.evaluate("(node) => node.scrollTop") > 0 or size == "1920x1080"
    headers, frame = diagram.locator(".trainer-lanes").bounding_box(), diagram.bounding_box()
    assert headers and frame and abs(headers["y"] - frame["y"]) <= 2  # still on top
    expect(diagram.locator(".trainer-lane", has_text="Browser")).to_be_in_viewport()

    skipped = page.locator('#trainer [data-result="skipped"]')
    assert skipped.count() >= 4  # iss, aud, exp, scope after the bad signature
    for text in skipped.all_text_contents():
        assert "failed" not in text and "skipped" in text
    expect(page.locator("#trainer")).not_to_contain_text("failed not checked")
    detail = page.locator('#trainer-attack-results li[data-attack="tampered-token"]')
    expect(detail.locator(".trainer-stopped-by")).to_contain_text("Stopped by the API: signature")
    expect(detail.locator(".trainer-compare")).to_contain_text("claims exp")

    if size == "1920x1080":
        assert page.locator("#trainer").evaluate(SMALL_TEXT) == []
        current = page.locator(".trainer-current-box").bounding_box()
        assert current and frame and current["x"] >= frame["x"] + frame["width"]  # side by side
        assert current["y"] < page.viewport_size["height"]  # the flow view is above the fold
    shoot(page, f"projector-{size}")
    page.reload()
    expect(page.get_by_label("Projector view")).to_be_checked()  # remembered
    diagram.scroll_into_view_if_needed()
    shoot(page, f"projector-{size}-reloaded")


def test_raw_http_hides_tokens_until_one_is_revealed_and_never_shows_the_secret(
    browser, stack, shoot
):
    page = lesson_page(browser, stack, "1280x720")
    step = page.locator("#trainer-timeline > li.trainer-token_request")
    step.locator("summary").click()
    step.get_by_role("button", name="Show raw HTTP").click()
    wire = step.locator(".trainer-wire-request").filter(has_text="grant_type=authorization_code")
    expect(wire).to_contain_text("POST /token HTTP/1.1")
    expect(wire).to_contain_text("Authorization: Basic [redacted]")
    masks = step.locator(".trainer-mask")
    expect(masks.first).to_contain_text("hidden, click to reveal")
    count = masks.count()
    assert count >= 3  # code, code_verifier, and the tokens in the answer
    masks.first.click()
    expect(step.locator(".trainer-mask.trainer-revealed")).to_have_count(1)
    expect(step).not_to_contain_text(BFF_SECRET)
    step.scroll_into_view_if_needed()
    shoot(page, "raw-http-1280x720")

    tokens = page.locator("#trainer-timeline > li.trainer-token_response")
    tokens.locator(":scope > details > summary").click()
    access = tokens.locator(".trainer-token").first
    expect(access.locator(".trainer-when").first).to_have_text(re.compile(r"^exp: .+\(in \d+"))
    expect(access.locator(".trainer-jwt-signature")).to_have_count(1)  # header.payload.signature
    access.locator("summary").click()
    access.scroll_into_view_if_needed()
    shoot(page, "decoded-token-1280x720")


def test_hand_out_is_one_self_contained_html_file_with_tokens_redacted(
    browser, stack, tmp_path, shoot
):
    page = lesson_page(browser, stack, "1280x720")
    events = page.evaluate(
        "fetch('/bff/trainer/timeline', {headers: {'X-CSRF': '1'}}).then((r) => r.json())"
    )["events"]
    raw_tokens = [t["raw"] for e in events for t in e.get("tokens", []) if t.get("raw")]
    assert raw_tokens
    with page.expect_download() as download:
        page.get_by_role("button", name="Export hand-out").click()
    saved = tmp_path / "handout.html"
    download.value.save_as(saved)
    html = saved.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "<style>" in html
    for title in ("Token request", "Attack: a tampered access token", "Reminder job"):
        assert title in html
    assert '"at+jwt"' in html or "at+jwt" in html  # decoded header kept
    assert "<script" not in html and "<link" not in html and 'src="' not in html
    assert BFF_SECRET not in html
    assert not [token for token in raw_tokens if token in html], json.dumps(raw_tokens)[:80]
    sent = {
        row["name"]: row["value"]
        for e in events
        if e["kind"] == "token_request"
        for row in e["params"]
    }
    assert sent["code"] not in html and sent["code_verifier"] not in html
    page.goto(saved.as_uri())  # opens offline: nothing in it asks the network
    expect(page.locator(".trainer-diagram svg")).to_be_visible()
    shoot(page, "hand-out-1280x720")
