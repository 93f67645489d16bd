"""OpenID Connect Back-Channel Logout 1.0: tell clients that a user's session ended."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import requests
from joserfc import jwt

from .keys import ALG, KeyRing
from .redis_store import new_id
from .registry import Registry

log = logging.getLogger(__name__)

EVENT = "http://schemas.openid.net/event/backchannel-logout"
TIMEOUT = 3  # seconds; a slow client must not hang the user's logout
LIFETIME = 120  # seconds a logout token stays acceptable


def post_form(url: str, data: dict) -> int:
    """POST a form and return the status code (replaceable in tests)."""
    return requests.post(url, data=data, timeout=TIMEOUT).status_code


class BackChannel:
    def __init__(
        self,
        issuer: str,
        registry: Registry,
        keys: KeyRing,
        transport: Callable[[str, dict], int] = post_form,
    ):
        self.issuer = issuer
        self.registry = registry
        self.keys = keys
        self.transport = transport

    def logout_token(self, client_id: str, sub: str, sid: str | None) -> str:
        """A signed logout token (§2.4): no nonce, the back-channel event, typ logout+jwt."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": client_id,
            "iat": now,
            "exp": now + LIFETIME,
            "jti": new_id(16),
            "sub": sub,
            "events": {EVENT: {}},
        }
        if sid:
            claims["sid"] = sid
        return jwt.encode({"alg": ALG, "typ": "logout+jwt"}, claims, self.keys.signing_keys())

    def notify(self, client_ids: set[str], sub: str, sid: str | None) -> None:
        """POST a logout token to each client that registered a back-channel logout URI."""
        for client_id in sorted(client_ids):
            client = self.registry.clients.get(client_id)
            if client is None or not client.backchannel_logout_uri:
                continue
            token = self.logout_token(client_id, sub, sid)
            try:
                status = self.transport(client.backchannel_logout_uri, {"logout_token": token})
            except requests.RequestException as exc:
                log.warning("back-channel logout to %s failed: %s", client_id, exc)
                continue
            if status != 200:
                log.warning("back-channel logout to %s answered %s", client_id, status)
