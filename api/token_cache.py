"""A bounded cache of verified tokens, so a repeated token costs one hash and one lookup."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class VerifiedTokenCache:
    """Claims of tokens already verified, keyed by SHA-256 of the token, bounded in size.

    An entry is never used after the token's ``exp``; the caller drops it when its signing key
    leaves the JWKS. This makes a repeated token cost one hash and one dict lookup.
    """

    def __init__(self, max_size: int, clock: Callable[[], float] = time.time) -> None:
        self.max_size = max_size
        self.clock = clock
        self._entries: OrderedDict[str, tuple[dict, str | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> tuple[dict, str | None] | None:
        """The cached claims and key id of this token, or None."""
        digest = _digest(token)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            claims, kid, expires_at = entry
            if self.clock() >= expires_at:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
            return claims, kid

    def put(self, token: str, claims: dict, kid: str | None, expires_at: float) -> None:
        """Remember a verified token until ``expires_at``, evicting the least recently used."""
        digest = _digest(token)
        with self._lock:
            self._entries[digest] = (claims, kid, expires_at)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)

    def drop(self, token: str) -> None:
        """Forget one token (its key is gone)."""
        with self._lock:
            self._entries.pop(_digest(token), None)


def _digest(token: str) -> str:
    # The cache never holds a usable token, only its SHA-256.
    return hashlib.sha256(token.encode()).hexdigest()
