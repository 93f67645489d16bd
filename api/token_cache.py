"""A bounded cache of verified tokens, so a repeated token costs one hash and one lookup."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from cachetools import TLRUCache

from .verification import Check


class Verified(NamedTuple):
    """What the first verification of a token found, kept until the token's ``exp``."""

    claims: dict
    kid: str | None  # the signing key; None for an introspected (opaque) token
    checks: tuple[Check, ...]  # the checks that first verification made
    expires_at: float


class VerifiedTokenCache:
    """Claims of tokens already verified, keyed by SHA-256 of the token, bounded in size.

    cachetools' TLRU cache gives each entry its own end of life, the token's ``exp``, and drops
    the least recently used entry when full. The caller drops an entry whose key left the JWKS.
    """

    def __init__(self, max_size: int, clock: Callable[[], float] = time.time) -> None:
        self.max_size = max_size
        self.clock = clock
        self._entries: TLRUCache[str, Verified] = TLRUCache(
            max_size, ttu=lambda _key, entry, _now: entry.expires_at, timer=lambda: self.clock()
        )
        # cachetools caches are not thread-safe, and gunicorn may run threaded workers.
        self._lock = threading.Lock()

    def get(self, token: str) -> Verified | None:
        """What the first verification of this token found, or None."""
        digest = _digest(token)
        with self._lock:
            try:
                # Not .get(): it asks the clock twice (``in``, then ``[]``).
                return self._entries[digest]
            except KeyError:  # never cached, expired or evicted
                return None

    def put(
        self,
        token: str,
        claims: dict,
        kid: str | None,
        expires_at: float,
        checks: tuple[Check, ...] = (),
    ) -> None:
        """Remember a verified token until ``expires_at``, evicting the least recently used."""
        if self.max_size <= 0:
            return  # cachetools refuses any entry in a cache of size 0
        digest = _digest(token)
        with self._lock:
            self._entries[digest] = Verified(claims, kid, checks, expires_at)

    def drop(self, token: str) -> None:
        """Forget one token (its key is gone)."""
        with self._lock:
            self._entries.pop(_digest(token), None)


def _digest(token: str) -> str:
    # The cache never holds a usable token, only its SHA-256.
    return hashlib.sha256(token.encode()).hexdigest()
