"""Attacks on the IdP's pages from another origin, in Chromium: login CSRF, logout CSRF, framing.

The attacker's pages are served from 127.0.0.1 on another port: another origin but the same site
as the IdP, so the browser sends even the IdP's SameSite=Lax cookies along. Only the IdP's own
checks (browser binding, session-bound tokens, frame-ancestors) stand in the way.
"""

import html
from urllib.parse import urlencode

import pytest
import redis
import requests
from flask import Flask
from playwright.sync_api import Page, expect

from tests.support.bff_state import login_records
from tests.support.forms import first_form
from tests.support.http_server import ThreadedServer
from tests.support.stack import running_stack

from .pages import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """The usual system, with Redis emptied afterwards: the BFF sessions bob gets here must not
    show up in another module's sessions list (every module's stack shares the test Redis)."""
    with running_stack(redis_server.url, tmp_path_factory.mktemp("idp-attacks")) as running:
        yield running
    redis.Redis.from_url(redis_server.url).flushall()


class Attacker:
    """A web server on another origin whose pages the test writes."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        app = Flask("attacker")
        app.add_url_rule("/<name>", "page", lambda name: self.pages.get(name, ("", 404)))
        self.server = ThreadedServer(app)

    def page(self, name: str, body: str) -> str:
        """Publish an HTML page and return its URL."""
        self.pages[name] = f"<!doctype html><title>{name}</title>{body}"
        return f"{self.server.url}/{name}"


@pytest.fixture(scope="module")
def attacker():
    site = Attacker()
    with site.server:
        yield site


def auto_post(action: str, fields: dict[str, str]) -> str:
    """A form that submits itself as soon as the page loads (the classic CSRF page)."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        f'<form id="f" method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.getElementById('f').submit()</script>"
    )


def victim_page(browser) -> Page:
    return browser.new_context().new_page()


def test_login_csrf_a_foreign_page_cannot_sign_the_victim_in_as_the_attacker(
    browser, stack, attacker
):
    # The attacker has used the calendar as bob before, so bob's consent is remembered.
    stack.signed_in("bob")
    # Then starts a sign-in of their own and copies the login form.
    own = requests.Session()
    action, fields = first_form(own.get(stack.bff + "/bff/login"))
    fields |= {"username": "bob", "password": "builder"}

    page = victim_page(browser)
    page.goto(attacker.page("login-csrf", auto_post(action, fields)))
    expect(page.get_by_text("not opened in this browser")).to_be_visible()

    # The victim's next sign-in asks for a password: they were not signed in as bob.
    page.goto(stack.bff)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_logout_csrf_a_foreign_link_with_someone_elses_id_token_only_asks(
    browser, stack, attacker, redis_server
):
    before = set(login_records(redis_server.url))
    stack.signed_in("bob")
    [bobs] = [r for k, r in login_records(redis_server.url).items() if k not in before]
    page = victim_page(browser)
    sign_in(page, stack, "alice", "wonderland")

    link = f"{stack.idp}/logout?id_token_hint={bobs['id_token']}"
    page.goto(attacker.page("logout-link", f'<a id="go" href="{html.escape(link)}">win</a>'))
    page.locator("#go").click()
    expect(page.get_by_role("heading", name="Sign out of idp-mock?")).to_be_visible()

    page.goto(stack.bff)
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()


def test_logout_csrf_a_foreign_post_neither_ends_nor_half_ends_the_idp_session(
    browser, stack, attacker
):
    page = victim_page(browser)
    sign_in(page, stack, "alice", "wonderland")

    page.goto(attacker.page("logout-post", auto_post(f"{stack.idp}/logout", {})))
    expect(page.get_by_role("heading", name="Sign out of idp-mock?")).to_be_visible()

    # Both halves of the IdP session are still there: the cookie and the server side.
    page.goto(stack.idp + "/apps")
    expect(page.get_by_role("heading", name="Connected apps")).to_be_visible()
    page.goto(stack.bff)
    expect(page.get_by_text("Signed in as Alice Liddell")).to_be_visible()


def test_idp_pages_cannot_be_framed_by_another_origin(browser, stack, attacker):
    control = attacker.page("harmless", "<p>harmless frame</p>")
    # Both frames report when they have loaded, blocked or not, so the test waits on that.
    body = (
        "<script>let loaded = 0; function done() { if (++loaded === 2) document.title = 'ready'; }"
        "</script>"
        f'<iframe id="idp" src="{stack.idp}/apps" onload="done()"></iframe>'
        f'<iframe id="control" src="{control}" onload="done()"></iframe>'
    )
    page = victim_page(browser)
    page.goto(attacker.page("framing", body))
    expect(page).to_have_title("ready")
    expect(page.frame_locator("#control").get_by_text("harmless frame")).to_be_visible()
    expect(page.frame_locator("#idp").get_by_role("button", name="Sign in")).to_have_count(0)


def test_idp_pages_fit_a_390_px_phone_screen_with_allow_above_deny(browser, stack):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    # Straight to the IdP with prompt=consent: other tests of this module already consented.
    query = {
        "response_type": "code",
        "client_id": "calendar-bff",
        "redirect_uri": stack.bff + "/bff/callback",
        "scope": "openid profile email offline_access calendar:read calendar:write",
        "state": "phone",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "prompt": "consent",
    }
    page.goto(stack.idp + "/authorize?" + urlencode(query))
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_value("bob")  # kept after the failure
    page.get_by_label("Password").fill("builder")
    page.get_by_role("button", name="Sign in").click()
    allow, deny = page.get_by_role("button", name="Allow"), page.get_by_role("button", name="Deny")
    expect(allow).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    allow_box, deny_box = allow.bounding_box(), deny.bounding_box()
    assert allow_box["y"] < deny_box["y"] and allow_box["x"] + allow_box["width"] <= 390
