"""A lean browser for the benchmark's logins: redirects, cookies and HTML forms, nothing else.

The login phase counts logins per second on the same cores as the servers, so the client's own
CPU is taken from them. requests spent about 1.5 ms of CPU per hop, most of it in its cookie jar
and in http.client's header parsing (the email package). This client keeps one keep-alive
connection per origin over geventhttpclient (its parser is C), host-only cookies in a dict, and
follows redirects by hand: about a quarter of that per hop. It does what a browser does on these
pages (it keeps and sends each site's cookies, honours their Path and Max-Age, follows 302/303
with a GET, answers the first form on a page) and no more: no domain cookies, no scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from http.cookies import CookieError, Morsel, SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from geventhttpclient import HTTPClient

REDIRECTS = (301, 302, 303, 307, 308)


class Forms(HTMLParser):
    """The forms of a page: action, input fields with their values, named buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "buttons": {}})
        elif self.forms and tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""
        elif self.forms and tag == "button" and attrs.get("name"):
            self.forms[-1]["buttons"][attrs.get("value") or ""] = attrs["name"]


def answer(html: str, user: str, password: str) -> tuple[str, dict[str, str]] | None:
    """The first form of a login or consent page, filled in: (action, fields), or None."""
    parser = Forms()
    parser.feed(html)
    if not parser.forms:
        return None
    form = parser.forms[0]
    data = dict(form["fields"])
    for name in ("username", "login"):  # idp-mock's field, node-oidc-provider's
        if name in data:
            data[name], data["password"] = user, password
    if "allow" in form["buttons"]:
        data[form["buttons"]["allow"]] = "allow"
    return form["action"], data


@dataclass
class Page:
    """Where a navigation ended: its URL, status, Content-Type and body."""

    url: str
    status: int
    content_type: str
    text: str


@dataclass
class FormBrowser:
    """Cookies per host (host-only, with their Path), one connection per origin."""

    cookies: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    _clients: dict[str, HTTPClient] = field(default_factory=dict)

    def get(self, url: str) -> Page:
        """Navigate to `url`, following redirects."""
        return self._navigate("GET", url, None)

    def post_form(self, url: str, data: dict[str, str]) -> Page:
        """Submit a form (application/x-www-form-urlencoded), following redirects."""
        return self._navigate("POST", url, urlencode(data).encode())

    def cookie(self, host: str, name: str) -> str | None:
        """A cookie's value as the browser holds it for `host`."""
        found = self.cookies.get(host, {}).get(name)
        return found[1] if found else None

    def cookie_header(self, url: str) -> str:
        """The Cookie header this browser would send with a request to `url`."""
        parts = urlsplit(url)
        return self._cookie_header(parts.hostname or "", parts.path or "/")

    def close(self) -> None:
        """Close every connection."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def _navigate(self, method: str, url: str, body: bytes | None) -> Page:
        for _ in range(10):
            status, headers, data = self._send(method, url, body)
            location = headers.get("Location")
            if status not in REDIRECTS or not location:
                text = data.decode(errors="replace")
                return Page(url, status, headers.get("Content-Type") or "", text)
            url = urljoin(url, location)
            if status in (301, 302, 303):
                method, body = "GET", None
        raise RuntimeError(f"more than 10 redirects, the last to {url}")

    def _send(self, method: str, url: str, body: bytes | None):
        parts = urlsplit(url)
        host, origin = parts.hostname or "", f"{parts.scheme}://{parts.netloc}"
        client = self._clients.get(origin)
        if client is None:
            client = self._clients[origin] = HTTPClient(
                host, parts.port, ssl=parts.scheme == "https", concurrency=1,
                connection_timeout=30, network_timeout=30,
            )  # fmt: skip
        # A navigation, as a browser sends it: mod_auth_openidc answers 401 instead of a login
        # redirect to a request that does not accept HTML.
        headers = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        path = parts.path or "/"
        cookie = self._cookie_header(host, path)
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        target = path + (f"?{parts.query}" if parts.query else "")
        response = client.request(method, target, body=body, headers=headers)
        try:
            answer_headers = response.info()
            set_cookies = answer_headers.get_all("Set-Cookie") or []
            self._keep_cookies(host, path, set_cookies)
            return response.status_code, answer_headers, response.read()
        finally:
            response.release()

    def _cookie_header(self, host: str, path: str) -> str:
        jar = self.cookies.get(host, {})
        return "; ".join(
            f"{name}={value}"
            for name, (cookie_path, value) in jar.items()
            if path == cookie_path or path.startswith(cookie_path.rstrip("/") + "/")
        )

    def _keep_cookies(self, host: str, path: str, lines: list[str]) -> None:
        jar = self.cookies.setdefault(host, {})
        # RFC 6265 5.1.4: without a Path attribute, the request path up to its last slash.
        default_path = path[: path.rfind("/")] or "/"
        for line in lines:
            parsed = SimpleCookie()
            try:
                parsed.load(line)
            except CookieError:
                continue  # a browser ignores a cookie it cannot parse
            for name, morsel in parsed.items():
                if _expired(morsel):
                    jar.pop(name, None)
                else:  # sent back as it came, quotes and escapes included
                    jar[name] = (morsel["path"] or default_path, morsel.coded_value)


def sign_in(browser: FormBrowser, start: str, user: str, password: str, home: str) -> Page:
    """Open `start`, answer login and consent pages until back at `home`; the last page."""
    page = browser.get(start)
    for _ in range(6):
        if page.url.startswith(home) or "html" not in page.content_type:
            break
        form = answer(page.text, user, password)
        if form is None:
            break
        page = browser.post_form(urljoin(page.url, form[0]), form[1])
    if not page.url.startswith(home) or page.status != 200:
        raise RuntimeError(f"login ended on {page.status} {page.url}: {page.text[:300]}")
    return page


def _expired(morsel: Morsel) -> bool:
    # RFC 6265 5.3: Max-Age wins over Expires; zero or less deletes the cookie now. An
    # attribute that does not parse is ignored (5.2.1, 5.2.2).
    try:
        if morsel["max-age"]:
            return int(morsel["max-age"]) <= 0
        if morsel["expires"]:
            return parsedate_to_datetime(morsel["expires"]) <= datetime.now(UTC)
    except (TypeError, ValueError):
        pass
    return False
