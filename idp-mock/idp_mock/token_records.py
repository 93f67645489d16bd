"""Records of issued tokens in Redis, grouped so they can be revoked together.

A *family* is every token descended from one authorization code (through refresh
rotation). A *grant* is every family one user gave one client. Revoking a refresh token
revokes its family; revoking a grant (connected apps page) revokes all its families.
"""

from __future__ import annotations

import time

from .redis_store import Store, digest, new_id
from .registry import Registry


class TokenRecords:
    def __init__(self, store: Store, registry: Registry):
        self.store = store
        self.registry = registry

    def save(self, token: dict, request) -> None:
        """Authlib's save_token hook: remember who holds which token."""
        user, client = request.user, request.client
        family = _family_of(request) or new_id(16)
        base = {
            "client_id": client.client_id,
            "scope": token.get("scope", ""),
            "sub": user.sub if user else client.client_id,
            "family": family,
            "auth_time": user.auth_time if user else None,
            "sid": user.sid if user else None,
        }
        lifetimes = self.registry.lifetimes
        keep = lifetimes.refresh_token
        now = int(time.time())
        at = digest(token["access_token"])
        # One round trip, applied together: a token is never seen without its family.
        with self.store.batch() as batch:
            access = {**base, "exp": now + lifetimes.access_token}
            batch.put("at", at, access, lifetimes.access_token)
            batch.add_member("family", family, f"at:{at}", keep)
            if "refresh_token" in token:
                rt = digest(token["refresh_token"])
                record = {**base, "exp": now + keep}
                if request.refresh_token is not None:  # remember which token replaced which
                    parent = request.refresh_token.key
                    record["parent"] = parent
                    batch.add_member("rt-children", parent, rt, keep)
                batch.put("rt", rt, record, keep)
                batch.add_member("family", family, f"rt:{rt}", keep)
            if user:
                grant = _grant(user.sub, client.client_id)
                batch.add_member("grant", grant, f"{family}:{user.sid}", keep)
                # Back-channel logout needs to know which clients hold tokens of a session.
                batch.add_member(
                    "session-clients", user.sid, client.client_id, lifetimes.idp_session
                )

    def revoke_family(self, family: str) -> None:
        """Revoke every token of a family (code replay, refresh token reuse, revocation)."""
        # The marker also catches tokens a concurrent request is adding to the family now.
        self.store.claim("revoked-family", family, self.registry.lifetimes.refresh_token)
        for member in self.store.members("family", family):
            kind, key = member.split(":", 1)
            self.store.delete(kind, key)
        self.store.delete("family", family)

    def is_revoked(self, family: str) -> bool:
        return self.store.get_raw("revoked-family", family) is not None

    def revoke_grant(self, sub: str, client_id: str) -> set[str]:
        """Revoke everything a user gave a client; return the session ids it touched."""
        sids = set()
        for member in self.store.members("grant", _grant(sub, client_id)):
            family, sid = member.split(":", 1)
            self.revoke_family(family)
            sids.add(sid)
        self.store.delete("grant", _grant(sub, client_id))
        return sids

    def session_clients(self, sid: str) -> set[str]:
        """The clients that received tokens during an IdP session."""
        return self.store.members("session-clients", sid)


def _grant(sub: str, client_id: str) -> str:
    return f"{sub}|{client_id}"


def _family_of(request) -> str | None:
    if request.authorization_code is not None:
        return request.authorization_code.family
    if request.refresh_token is not None:
        return request.refresh_token.family
    return None
