"""Issued tokens as Authlib sees them, read back from their Redis records."""

from __future__ import annotations

import time
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import TokenMixin

from .idp_session import Principal
from .redis_store import digest
from .registry import Registry

KINDS = {"access_token": "at", "refresh_token": "rt"}


@dataclass(frozen=True)
class StoredToken(TokenMixin):
    """An access or refresh token this IdP issued and has not revoked."""

    kind: str  # "at" (access token) or "rt" (refresh token): the Redis record kind
    key: str
    record: dict
    registry: Registry

    @property
    def is_refresh(self) -> bool:
        return self.kind == "rt"

    @property
    def scope(self) -> str:
        return self.record["scope"]

    @property
    def client_id(self) -> str:
        return self.record["client_id"]

    def audiences(self) -> list[str]:
        return self.registry.audiences(self.scope)

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return max(0, self.record["exp"] - int(time.time()))

    def is_expired(self):
        return self.record["exp"] <= time.time()

    def is_revoked(self):
        return False  # revoked tokens are deleted from Redis, so they are never found

    def get_user(self):
        record = self.record
        if record["sub"] == record["client_id"] and record["auth_time"] is None:
            return None  # a service token: no user behind it
        return Principal(sub=record["sub"], auth_time=record["auth_time"], sid=record["sid"])

    def get_client(self):
        return self.registry.clients.get(self.client_id)


def find_token(server, token_string: str, hint: str | None = None) -> StoredToken | None:
    """Look a token up by its hash, trying the hinted type first (RFC 7009 §2.1)."""
    key = digest(token_string)
    for name in sorted(KINDS, key=lambda name: name != hint):
        record = server.store.get(KINDS[name], key)
        if record is not None and not server.records.is_revoked(record["family"]):
            return StoredToken(KINDS[name], key, record, server.registry)
    return None
