"""The refresh token grant with rotation; reuse of a rotated token revokes its family."""

from __future__ import annotations

from dataclasses import dataclass

from authlib.oauth2.rfc6749 import TokenMixin, grants

from .grants import WITH_PUBLIC_CLIENTS
from .sessions import Principal
from .store import digest


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


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Each refresh token works once (RFC 9700 §4.14): the response carries a new one."""

    TOKEN_ENDPOINT_AUTH_METHODS = WITH_PUBLIC_CLIENTS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        server, key = self.server, digest(refresh_token)
        record = server.store.get("rt", key)
        if record is None:
            rotated = server.store.get("rt-rotated", key)
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
        # Claim the token atomically: a concurrent second use, on any worker, is a reuse.
        if not server.store.claim("rt-used", key, server.registry.lifetimes.refresh_token):
            server.records.revoke_family(token.family)
            return None
        return token

    def authenticate_user(self, refresh_token):
        return Principal(
            sub=refresh_token.sub, auth_time=refresh_token.auth_time, sid=refresh_token.sid
        )

    def revoke_old_credential(self, refresh_token):
        # The old token stops working (and introspects inactive); a marker remains to
        # recognise a later reuse.
        store, lifetime = self.server.store, self.server.registry.lifetimes.refresh_token
        store.delete("rt", refresh_token.key)
        store.put("rt-rotated", refresh_token.key, {"family": refresh_token.family}, lifetime)
