"""Failed-login throttling per username and per client address, with counters in Redis."""

from __future__ import annotations

from dataclasses import dataclass

from .redis_store import Store, digest

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Throttling:
    """The `login_throttling` section of the configuration file (seconds and counts)."""

    enabled: bool = True
    # Failures allowed before the first wait. A username is one person; an address may be a whole
    # classroom behind one NAT, so it gets many more before anyone has to wait.
    free_failures_per_username: int = 5
    free_failures_per_address: int = 50
    first_wait: int = 2  # then doubled after each further failure ...
    max_wait: int = 300  # ... up to this
    forget_after: int = 900  # failure counts restart after this long without a failure

    @classmethod
    def from_config(cls, spec: dict | None) -> Throttling:
        """Read the section; `enabled` may come from an environment reference as a string."""
        spec = dict(spec or {})
        enabled = spec.pop("enabled", True)
        if isinstance(enabled, str):
            if enabled.strip().lower() not in _TRUE | _FALSE:
                raise ValueError(f"login_throttling.enabled: not a boolean: {enabled!r}")
            enabled = enabled.strip().lower() in _TRUE
        return cls(enabled=bool(enabled), **{k: int(v) for k, v in spec.items()})


class LoginThrottle:
    """Backoff after repeated failures: the right password is refused too while a wait runs."""

    def __init__(self, store: Store, settings: Throttling):
        self.store = store
        self.settings = settings

    def wait_time(self, username: str, address: str | None) -> int:
        """Seconds this username or address must still wait (0: may try now)."""
        if not self.settings.enabled:
            return 0
        return self.store.longest_ttl("login-wait", _keys(username, address))

    def failed(self, username: str, address: str | None) -> int:
        """Count a failure; return the wait it starts (0 while failures are still free)."""
        if not self.settings.enabled:
            return 0
        user_key, address_key = _keys(username, address)
        s = self.settings
        return max(
            self._count(user_key, s.free_failures_per_username),
            self._count(address_key, s.free_failures_per_address),
        )

    def succeeded(self, username: str) -> None:
        """A correct password forgets the username's failures (not the address's)."""
        self.store.delete("login-failures", _keys(username, None)[0])

    def _count(self, key: str, free: int) -> int:
        s = self.settings
        failures = self.store.count("login-failures", key, s.forget_after)
        if failures < free:
            return 0
        wait = min(s.first_wait * 2 ** min(failures - free, 20), s.max_wait)
        self.store.mark("login-wait", key, wait)
        return wait


def _keys(username: str, address: str | None) -> tuple[str, str]:
    # Hashed: user input never becomes a raw Redis key, and a dump lists no usernames.
    return "user|" + digest(username.strip().lower()), "addr|" + digest(address or "unknown")
