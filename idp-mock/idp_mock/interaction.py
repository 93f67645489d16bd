"""An authorization request waiting for the user to sign in and consent, bound to one browser."""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from flask import Response, request

from .redis_store import Store, digest, new_id

# How long a user may take on the login and consent pages.
PENDING_LIFETIME = 600
# The browser-binding cookie, like node-oidc-provider's interaction cookie: one per pending
# request, scoped to that request's path (/interaction/<id>/...), so several tabs can each have
# a sign-in pending. Its own name, so it never collides with the BFF's cookie on another port.
COOKIE = "idp_interaction"


@dataclass
class Pending:
    """The original query parameters, a CSRF token for the form, and the browser it belongs to."""

    args: list[tuple[str, str]]
    id: str = field(default_factory=new_id)
    csrf: str = field(default_factory=new_id)
    browser: str = ""  # hash of the interaction cookie given to the browser that was shown it
    sub: str | None = None  # who saw the consent page, so nobody else can answer it
    next: str | None = None  # a page of the IdP itself to return to after sign-in

    def save(self, store: Store) -> str:
        """Store the request under fresh ids (each form works once); return its cookie value."""
        browser_key = new_id()
        self.id, self.csrf, self.browser = new_id(), new_id(), digest(browser_key)
        store.put("authreq", self.id, asdict(self), PENDING_LIFETIME)
        return browser_key

    @property
    def path(self) -> str:
        """Where this request's forms post, and the only path its cookie is sent to."""
        return f"/interaction/{self.id}"

    @classmethod
    def load(cls, store: Store, request_id: str, csrf: str) -> Pending | None:
        """The pending request, only if the form's CSRF token belongs to it."""
        record = store.get("authreq", request_id) if request_id else None
        if record is None or not hmac.compare_digest(record["csrf"], csrf or ""):
            return None
        record["args"] = [tuple(pair) for pair in record["args"]]
        return cls(**record)

    def belongs_to_this_browser(self) -> bool:
        """True when the request carries the cookie of the browser that started this flow."""
        cookie = request.cookies.get(COOKIE, "")
        return bool(cookie) and hmac.compare_digest(self.browser, digest(cookie))

    def consume(self, store: Store) -> bool:
        """Use the request up; True for exactly one caller, across all workers."""
        return store.take("authreq", self.id) is not None

    def oauth_request(self, authorize_url: str) -> OAuth2Request:
        """Rebuild the request for Authlib, as if the browser had just sent it."""
        return StoredRequest(authorize_url, self.args)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.args if k == name), None)


def bind_browser(response: Response, pending: Pending, key: str, secure: bool) -> Response:
    """Give the browser the request's cookie: HttpOnly, SameSite=Lax, only for its own path."""
    response.set_cookie(
        COOKIE,
        key,
        max_age=PENDING_LIFETIME,
        path=pending.path,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
    return response


class StoredPayload(OAuth2Payload):
    def __init__(self, args: list[tuple[str, str]]):
        self._datalist = defaultdict(list)
        for key, value in args:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self):
        return self._data

    @property
    def datalist(self):
        return self._datalist


class StoredRequest(OAuth2Request):
    def __init__(self, uri: str, args: list[tuple[str, str]]):
        super().__init__("GET", uri)
        self.payload = StoredPayload(args)

    @property
    def args(self):
        return self.payload.data

    @property
    def form(self):
        return {}
