"""Consent remembered per user and client, so the consent page is asked once."""

from __future__ import annotations

from .redis_store import Store

# A remembered consent outlives any single session; revoke it on the connected apps page.
CONSENT_LIFETIME = 90 * 24 * 3600


class Consents:
    def __init__(self, store: Store):
        self.store = store

    def covers(self, sub: str, client_id: str, scope: str) -> bool:
        """True when the user already allowed every one of these scopes to the client."""
        return set(scope.split()) <= set(self.scope(sub, client_id).split())

    def scope(self, sub: str, client_id: str) -> str:
        record = self.store.get("consent", f"{sub}|{client_id}")
        return record["scope"] if record else ""

    def remember(self, sub: str, client_id: str, scope: str) -> None:
        """Add scopes to what the user allowed the client."""
        known = self.scope(sub, client_id).split()
        merged = " ".join(dict.fromkeys(known + scope.split()))
        self.store.put("consent", f"{sub}|{client_id}", {"scope": merged}, CONSENT_LIFETIME)
        self.store.add_member("consented-clients", sub, client_id, CONSENT_LIFETIME)

    def for_user(self, sub: str) -> dict[str, str]:
        """Client id -> allowed scopes, for every client the user consented to."""
        found = {c: self.scope(sub, c) for c in self.store.members("consented-clients", sub)}
        return {client: scope for client, scope in sorted(found.items()) if scope}

    def forget(self, sub: str, client_id: str) -> None:
        self.store.delete("consent", f"{sub}|{client_id}")
        self.store.remove_member("consented-clients", sub, client_id)
