"""With trainer mode off (the default) the SPA shows no trainer UI and loads none of its code."""

import pytest
from playwright.sync_api import expect

from .pages import sign_in

pytestmark = pytest.mark.e2e


def test_spa_shows_no_trainer_ui_and_loads_no_trainer_code_when_trainer_mode_is_off(browser, stack):
    page = browser.new_context().new_page()
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    sign_in(page, stack, "alice", "wonderland")
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()
    expect(page.get_by_text("No events yet.")).to_be_visible()
    expect(page.get_by_text("Trainer mode")).to_have_count(0)
    expect(page.locator("#trainer")).to_have_count(0)
    assert [url for url in loaded if url.endswith("/bff/state")]  # which said the mode is off
    assert not [url for url in loaded if "trainer" in url]
