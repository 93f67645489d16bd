"""Fill in and submit HTML forms with requests, as a browser without JavaScript would."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}, "buttons": []})
        elif self.forms and tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif self.forms and tag == "button" and attrs.get("name"):
            self.forms[-1]["buttons"].append((attrs["name"], attrs.get("value", "")))


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
        name = next(name for name, value in form["buttons"] if value == button)
        data[name] = button
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
