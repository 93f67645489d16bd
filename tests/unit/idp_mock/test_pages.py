"""The IdP's own pages: never framed, strict CSP, and a consent page a person can read."""

import re

import pytest

from .conftest import form_action


def login_page(flow):
    return flow.authorize()


def consent_page(flow):
    return flow.login(flow.authorize())


def failed_login(flow):
    return flow.login(flow.authorize(), "alice", "wrong")


def apps_page(flow):
    flow.tokens()
    return flow.client.get("/apps")


def logout_page(flow):
    flow.tokens()
    return flow.client.get("/logout")


def error_page(flow):
    return flow.authorize(client_id="nobody")


def stylesheet(flow):
    return flow.client.get("/static/idp.css")


PAGES = [login_page, consent_page, failed_login, apps_page, logout_page, error_page, stylesheet]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.__name__)
def test_every_idp_page_forbids_framing_and_has_a_csp(flow, page):
    response = page(flow)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_use_only_the_idps_own_stylesheet(flow):
    html = login_page(flow).text
    assert "<style" not in html and "<script" not in html
    assert 'href="/static/idp.css"' in html
    assert stylesheet(flow).status_code == 200


def test_consent_page_names_the_client_and_each_scope_in_plain_words(flow):
    html = consent_page(flow).text
    assert "Allow Calendar to use your account?" in html
    assert "Signed in as Alice Liddell" in html
    plain = ["See your name", "See your email address", "Add and delete events in your calendar"]
    for words in plain:
        assert f">{words}</li>" in html


def test_consent_page_allow_is_the_primary_action_and_deny_the_secondary(flow):
    html = consent_page(flow).text
    decision = r'<button type="submit" name="decision" value="(\w+)" class="([^"]+)"'
    buttons = re.findall(decision, html)
    assert buttons == [("allow", "button primary"), ("deny", "button secondary")]


def test_a_failed_sign_in_keeps_the_username_and_focuses_the_password(flow):
    html = failed_login(flow).text
    assert re.search(r'id="username" value="alice"', html)
    assert re.search(r'id="password"[^>]*autofocus', html)


def test_login_form_posts_to_the_interaction_path(flow):
    assert re.fullmatch(r"/interaction/[\w-]+/login", form_action(login_page(flow)))
