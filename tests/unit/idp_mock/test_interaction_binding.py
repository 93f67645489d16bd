"""Each pending authorization request belongs to the browser that started it, and works once."""

import re

from .conftest import Flow, form_action, hidden_fields, query


def post_login_from(browser, page, username="alice", password="wonderland"):
    """Post the fields of a login page another browser was shown (what a login-CSRF page does)."""
    data = {**hidden_fields(page), "username": username, "password": password}
    return browser.post(form_action(page), data=data)


def test_authorize_binds_the_request_with_an_httponly_lax_path_scoped_cookie(flow):
    page = flow.authorize()
    [cookie] = [c for c in page.headers.getlist("Set-Cookie") if c.startswith("idp_interaction=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # Scoped to this request's own path, so other pending requests (other tabs) keep theirs.
    assert form_action(page) == f"{cookie_path(cookie)}/login"
    assert re.fullmatch(r"/interaction/[\w-]+", cookie_path(cookie))


def cookie_path(cookie: str) -> str:
    found = re.search(r"Path=([^;]+)", cookie)
    assert found, cookie
    return found[1]


def test_two_tabs_each_with_a_pending_sign_in_both_complete(flow):
    first, second = flow.authorize(state="tab-1"), flow.authorize(state="tab-2")
    assert ">Allow<" in flow.login(second).text
    assert ">Allow<" in flow.login(first).text


def test_login_csrf_a_login_form_posted_from_a_browser_without_its_cookie_is_refused(flow, app):
    attackers_page = flow.authorize()
    victim = app.test_client()
    response = post_login_from(victim, attackers_page, "bob", "builder")
    assert response.status_code == 403
    assert "not opened in this browser" in response.text
    assert not any("idp_session=" in c for c in response.headers.getlist("Set-Cookie"))


def test_login_csrf_a_login_form_from_another_browser_with_its_own_flow_is_refused(flow, app):
    attackers_page = flow.authorize()
    victim = Flow(app.test_client())
    victim.authorize()  # the victim has an interaction cookie of their own
    response = post_login_from(victim.client, attackers_page, "bob", "builder")
    assert response.status_code == 403
    # The victim's own sign-in is untouched: the IdP still asks them for a password.
    assert 'name="password"' in victim.authorize().text


def test_consent_form_posted_from_another_browser_signed_in_as_the_same_user_is_refused(flow, app):
    consent_page = flow.login(flow.authorize())
    other = Flow(app.test_client())
    other.login(other.authorize())  # alice signed in there too, with another interaction cookie
    response = other.client.post(
        form_action(consent_page), data={**hidden_fields(consent_page), "decision": "allow"}
    )
    assert response.status_code == 403 and "Location" not in response.headers


def test_a_pending_request_is_single_use_when_consent_was_remembered(flow):
    flow.code()  # alice allowed the client once
    page = flow.authorize(prompt="login")
    first = flow.login(page)
    assert first.status_code == 302 and query(first)["code"]
    again = flow.login(page)
    assert again.status_code == 400 and "already used" in again.text
    assert "Location" not in again.headers


def test_a_consent_form_works_once(flow):
    consent_page = flow.login(flow.authorize())
    assert flow.consent(consent_page).status_code == 302
    again = flow.consent(consent_page)
    assert again.status_code == 400 and "Location" not in again.headers


def test_a_wrong_password_keeps_the_form_usable_in_the_same_browser(flow):
    page = flow.authorize()
    assert flow.login(page, password="wrong").status_code == 401
    assert ">Allow<" in flow.login(page).text
