"""Fill in and submit HTML forms with requests, as a browser without JavaScript would."""

from urllib.parse import urljoin

import requests

# The benchmark's login client parses forms the same way; one parser for both.
from scripts.bench.form_browser import Forms as _FormParser


def first_form(page: requests.Response) -> tuple[str, dict[str, str]]:
    """The page's first form: its absolute action URL and its fields with their values."""
    parser = _FormParser()
    parser.feed(page.text)
    assert parser.forms, f"no form on {page.url}: {page.text[:300]}"
    return urljoin(page.url, parser.forms[0]["action"]), parser.forms[0]["fields"]


def submit_form(http: requests.Session, page: requests.Response, values=None, button=None):
    """Submit the page's first form with `values` filled in and the named button value pressed."""
    parser = _FormParser()
    parser.feed(page.text)
    assert parser.forms, f"no form on {page.url}: {page.text[:300]}"
    form = parser.forms[0]
    data = form["fields"] | (values or {})
    if button:
        data[form["buttons"][button]] = button
    return http.post(urljoin(page.url, form["action"]), data=data)


def sign_in(
    http: requests.Session, bff_url: str, username: str, password: str, return_to: str = "/"
) -> requests.Response:
    """Log in through the BFF and the IdP's real login and consent pages; return the last page."""
    page = http.get(bff_url + "/bff/login", params={"returnTo": return_to})
    page = submit_form(http, page, {"username": username, "password": password})
    if "decision" in page.text:  # consent is asked the first time only
        page = submit_form(http, page, button="allow")
    return page
