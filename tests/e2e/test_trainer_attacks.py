"""Trainer mode's attack buttons in Chromium: each shows the defence's answer and its standard."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.stack import running_stack

from .pages import sign_in

pytestmark = pytest.mark.e2e
TRAINER = {"bff": {"TRAINER_MODE": "1"}, "api": {"API_TRAINER_MODE": "1"}}
BUTTONS = {
    "csrf": ("Cross-site call without X-CSRF", "403 csrf_check_failed", "browser-based-apps"),
    "code-replay": ("Replay the used code", "400 invalid_grant", "RFC 6749 §4.1.2"),
    "id-token-to-api": ("ID token to the API", "401 invalid_token", "RFC 9068 §4"),
    "tampered-token": ("Tampered access token", "401 invalid_token", "RFC 7515"),
    "open-redirect": ("Open-redirect returnTo", "https://evil.example/steal → /", "RFC 9700"),
}


@pytest.fixture(scope="module")
def stack(empty_redis, tmp_path_factory):
    """The system with trainer mode on in the BFF and verdict headers on in the API."""
    with running_stack(empty_redis, tmp_path_factory.mktemp("attacks"), TRAINER) as running:
        yield running


def signed_in_page(browser, stack) -> Page:
    page = browser.new_context().new_page()
    sign_in(page, stack, "alice", "wonderland")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    return page


@pytest.mark.parametrize("attack", sorted(BUTTONS))
def test_attack_button_shows_the_defence_that_stopped_it_and_its_standard(browser, stack, attack):
    label, answer, standard = BUTTONS[attack]
    page = signed_in_page(browser, stack)
    page.get_by_role("button", name=label).click()
    result = page.locator(f'#trainer-attack-results li[data-attack="{attack}"]')
    expect(result).to_contain_text("Stopped:")
    expect(result).to_contain_text(answer)
    expect(result).to_contain_text(standard)
    expect(page.locator("#trainer-timeline")).to_contain_text("Attack: ")


def test_id_token_attack_shows_the_api_verdict_per_check(browser, stack):
    page = signed_in_page(browser, stack)
    page.get_by_role("button", name="ID token to the API").click()
    verdict = page.locator(
        '#trainer-attack-results li[data-attack="id-token-to-api"] .trainer-verdict'
    )
    failed = verdict.locator('[data-result="failed"]')
    expect(failed).to_have_count(1)  # the API stops at the first failed check
    expect(failed).to_contain_text(re.compile(r"^typ: failed · .*at\+jwt"))
    expect(verdict.locator('[data-result="skipped"]', has_text="aud: skipped")).to_have_count(1)
    for text in verdict.locator('[data-result="skipped"]').all_text_contents():
        assert "failed" not in text, text
    colour = verdict.locator('[data-result="skipped"]').first.evaluate(
        "(node) => getComputedStyle(node).color"
    )
    assert colour != failed.evaluate("(node) => getComputedStyle(node).color")  # never red


def test_wrong_verifier_button_runs_a_sign_in_whose_code_the_idp_refuses(
    browser, stack, output_path, record_property
):
    page = signed_in_page(browser, stack)
    page.get_by_role("button", name="Wrong PKCE verifier").click()
    expect(
        page.get_by_role("heading", name="Attack stopped: a wrong PKCE code_verifier")
    ).to_be_visible()
    expect(page.get_by_text("400 invalid_grant")).to_be_visible()
    expect(page.get_by_text("RFC 7636 §4.6")).to_be_visible()
    compare = page.locator(".trainer-compare")  # the wrong verifier's hash beside the challenge
    expect(compare).to_contain_text("base64url(SHA-256(code_verifier))")
    expect(compare.locator("tr", has_text="hash = challenge?")).to_contain_text("yesno")
    expect(page.locator(".trainer-stopped-by")).to_contain_text("Stopped by the IdP: PKCE")
    shot = Path(output_path) / "wrong-verifier.png"  # for review, in the test's output folder
    page.screenshot(path=str(shot), full_page=True)
    record_property("screenshot", str(shot))
    page.get_by_role("link", name="Back to the calendar").click()
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()  # session kept
    expect(page.locator("#trainer-timeline")).to_contain_text("Attack: a wrong PKCE code_verifier")
