"""The refresh token grant with rotation; reuse of a rotated token revokes its family.

Within a short grace period after rotation (`refresh_token_reuse_grace`), the rotated token
may be redeemed again: the client lost the answer (a timeout), so its replacement was never
received. Each retry gets new tokens in the same family. The first of those replacements to be
used retires its siblings: the IdP cannot tell a late request the client gave up on from the
client's own retry, so it waits for the client to show which answer it kept. Reuse after the
grace period, or once a replacement has been used, revokes the family (RFC 9700 §4.14.2). The
price, as at the providers that offer it: a stolen token replayed within the grace period goes
unnoticed, so keep it short.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from authlib.oauth2.rfc6749 import TokenMixin, grants

from .grants import WITH_PUBLIC_CLIENTS
from .idp_session import Principal
from .redis_store import digest


@dataclass(frozen=True)
class RefreshToken(TokenMixin):
    """The record behind an opaque refresh token."""

    key: str
    client_id: str
    scope: str
    sub: str
    auth_time: int
    sid: str
    family: str

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope


RETRY_FIELDS = ("client_id", "scope", "sub", "auth_time", "sid", "family")


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Each refresh token works once (RFC 9700 §4.14): the response carries a new one."""

    TOKEN_ENDPOINT_AUTH_METHODS = WITH_PUBLIC_CLIENTS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        server, key = self.server, digest(refresh_token)
        record = server.store.get("rt", key)
        if record is None:
            rotated = server.store.get("rt-rotated", key)
            if rotated and self.within_grace(key, rotated):
                return self.retried(key, rotated)
            if rotated:  # RFC 9700 §4.14.2: reuse of a rotated token revokes its family
                server.records.revoke_family(rotated["family"])
            return None
        if record["client_id"] != self.request.client.client_id:
            return None
        if server.records.is_revoked(record["family"]):
            return None
        token = RefreshToken(
            key=key,
            client_id=record["client_id"],
            scope=record["scope"],
            sub=record["sub"],
            auth_time=record["auth_time"],
            sid=record["sid"],
            family=record["family"],
        )
        requested = set((self.request.payload.scope or "").split())
        if not requested <= set(token.scope.split()):
            return token  # Authlib answers invalid_scope; the token stays usable
        # Claim the token atomically: a concurrent second use, on any worker, is a reuse...
        if not server.store.claim("rt-used", key, server.registry.lifetimes.refresh_token):
            if server.registry.lifetimes.refresh_token_reuse_grace:
                return token  # ...unless it is a retry while the first use is still answered
            server.records.revoke_family(token.family)
            return None
        self.retire_siblings(key, record.get("parent"))
        return token

    def retire_siblings(self, key: str, parent: str | None) -> None:
        """This answer is the one the client kept: the parent's other answers stop working."""
        if parent:
            for sibling in self.server.store.members("rt-children", parent) - {key}:
                self.server.store.delete("rt", sibling)

    def within_grace(self, key: str, rotated: dict) -> bool:
        """Is this a retry of a refresh whose answer was lost, soon enough to be honoured?"""
        grace = self.server.registry.lifetimes.refresh_token_reuse_grace
        store = self.server.store
        # Once a replacement has been used, the client has its answer: a reuse now is a replay
        # (Auth0 and Okta honour only the token just before the current one).
        replaced = any(store.get("rt-rotated", rt) for rt in store.members("rt-children", key))
        return (
            time.time() - rotated.get("rotated_at", 0) <= grace
            and rotated.get("client_id") == self.request.client.client_id
            and not self.server.records.is_revoked(rotated["family"])
            and not replaced
        )

    def retried(self, key: str, rotated: dict) -> RefreshToken:
        """The rotated token again, to be answered with new tokens in the same family."""
        return RefreshToken(key=key, **{name: rotated[name] for name in RETRY_FIELDS})

    def authenticate_user(self, refresh_token):
        return Principal(
            sub=refresh_token.sub, auth_time=refresh_token.auth_time, sid=refresh_token.sid
        )

    def revoke_old_credential(self, refresh_token):
        # The old token stops working (and introspects inactive); a marker remains to
        # recognise a later reuse. The marker goes in before the record goes: a concurrent
        # refresh that found neither would take the token for an unknown one, invalid_grant.
        store, lifetime = self.server.store, self.server.registry.lifetimes.refresh_token
        if not store.get("rt-rotated", refresh_token.key):
            # The first rotation; a retry within the grace period keeps that rotation's clock.
            record = asdict(refresh_token) | {"rotated_at": int(time.time())}
            store.put("rt-rotated", refresh_token.key, record, lifetime)
        store.delete("rt", refresh_token.key)
