"""The benchmark's lean login client keeps cookies and follows forms as a browser would."""

import threading
from urllib.parse import parse_qs

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from scripts.bench.form_browser import FormBrowser, sign_in

LOGIN_PAGE = """<html><body><form method="post" action="submit">
<input type="hidden" name="csrf" value="c-1"><input name="username"><input name="password">
<button name="decision" value="allow">Allow</button></form></body></html>"""


@Request.application
def site(request: Request) -> Response:
    """A login in three hops: a flow cookie scoped to /login, a form, a session cookie."""
    seen = "; ".join(f"{k}={v}" for k, v in sorted(request.cookies.items()))
    if request.path == "/start":
        answer = Response(status=302, headers={"Location": "/login/form"})
        answer.set_cookie("flow", "f-1", path="/login", httponly=True, samesite="Lax")
        answer.set_cookie("scoped", "s-1")  # no Path: /start's directory, "/"
        return answer
    if request.path == "/login/form":
        return Response(LOGIN_PAGE, content_type="text/html")
    if request.path == "/login/submit" and request.method == "POST":
        form = parse_qs(request.get_data(as_text=True))
        if form != {"csrf": ["c-1"], "username": ["alice"], "password": ["pw"],
                    "decision": ["allow"]} or request.cookies.get("flow") != "f-1":  # fmt: skip
            return Response("bad form", status=400)
        answer = Response(status=303, headers={"Location": "/home"})
        answer.delete_cookie("flow", path="/login")
        answer.set_cookie("session", '"quoted value"', path="/")
        return answer
    return Response(f"home; cookies: {seen}", content_type="text/plain")


@pytest.fixture(scope="module")
def origin():
    server = make_server("127.0.0.1", 0, site, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_form_login_follows_the_redirects_answers_the_form_and_ends_at_home(origin):
    browser = FormBrowser()
    page = sign_in(browser, origin + "/start", "alice", "pw", origin + "/home")
    assert (page.url, page.status) == (origin + "/home", 200)
    browser.close()


def test_a_cookie_is_sent_only_under_its_path_and_not_after_it_was_deleted(origin):
    browser = FormBrowser()
    page = sign_in(browser, origin + "/start", "alice", "pw", origin + "/home")
    # "flow" reached /login/submit (the site checks it) but never /home, and is gone now.
    assert "flow" not in page.text
    assert browser.cookie("127.0.0.1", "flow") is None
    assert browser.cookie("127.0.0.1", "scoped") == "s-1"
    browser.close()


def test_a_quoted_cookie_value_goes_back_exactly_as_the_server_set_it(origin):
    browser = FormBrowser()
    page = sign_in(browser, origin + "/start", "alice", "pw", origin + "/home")
    assert page.text == 'home; cookies: scoped=s-1; session="quoted value"'
    browser.close()


def test_a_login_that_does_not_end_at_home_is_an_error_not_a_success(origin):
    browser = FormBrowser()
    with pytest.raises(RuntimeError, match="login ended on 400"):
        sign_in(browser, origin + "/start", "alice", "wrong", origin + "/home")
    browser.close()
