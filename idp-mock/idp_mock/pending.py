"""An authorization request waiting for the user to sign in and consent."""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request

from .store import Store, new_id

# How long a user may take on the login and consent pages.
PENDING_LIFETIME = 600


@dataclass
class Pending:
    """The original query parameters, plus a CSRF token the forms must send back."""

    args: list[tuple[str, str]]
    id: str = field(default_factory=new_id)
    csrf: str = field(default_factory=new_id)
    sub: str | None = None  # who saw the consent page, so nobody else can answer it
    next: str | None = None  # a page of the IdP itself to return to after sign-in

    def save(self, store: Store) -> None:
        store.put("authreq", self.id, asdict(self), PENDING_LIFETIME)

    @classmethod
    def load(cls, store: Store, request_id: str, csrf: str) -> Pending | None:
        """The pending request, only if the form's CSRF token belongs to it."""
        record = store.get("authreq", request_id) if request_id else None
        if record is None or not hmac.compare_digest(record["csrf"], csrf or ""):
            return None
        record["args"] = [tuple(pair) for pair in record["args"]]
        return cls(**record)

    def delete(self, store: Store) -> None:
        store.delete("authreq", self.id)

    def oauth_request(self, authorize_url: str) -> OAuth2Request:
        """Rebuild the request for Authlib, as if the browser had just sent it."""
        return StoredRequest(authorize_url, self.args)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.args if k == name), None)


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
