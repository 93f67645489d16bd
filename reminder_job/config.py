"""Configuration of the reminder job, read once from the environment.

Environment variables:

- ``OIDC_ISSUER`` (required): the issuer; the token endpoint is found by OIDC discovery.
- ``REMINDER_CLIENT_ID`` / ``REMINDER_CLIENT_SECRET`` (required): the job's own client
  credentials, sent with client_secret_basic (demo: ``reminder-job`` / ``reminder-job-secret``).
- ``API_URL`` (required): the calendar API, e.g. ``http://127.0.0.1:8001``.
- ``REMINDER_SCOPE``: the scope requested (default ``calendar:reminders``).
- ``REMINDER_INTERVAL_SECONDS``: pause between two runs (default 60).
- ``REMINDER_WITHIN_MINUTES``: how far ahead to look for events (default 60).
- ``REMINDER_HEARTBEAT_FILE``: touched after every successful run, for a container health check.
- ``REMINDER_TOKEN_PARAMS``: extra token request parameters as a query string, e.g. Auth0's
  ``audience=calendar-api``; the grant's own (``grant_type``, ``scope``, client) cannot be set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

# Parameters the client credentials grant sets itself: a provider quirk may not replace them.
OWN_PARAMS = {"grant_type", "scope", "client_id", "client_secret"}


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Config:
    """Everything the job needs to know."""

    issuer: str
    client_id: str
    client_secret: str
    api_url: str
    scope: str = "calendar:reminders"
    interval_seconds: int = 60
    within_minutes: int = 60
    heartbeat_file: str | None = None
    token_params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Config:
        """Build the configuration, failing fast with the name of what is missing."""
        return cls(
            issuer=_required(env, "OIDC_ISSUER"),
            client_id=_required(env, "REMINDER_CLIENT_ID"),
            client_secret=_required(env, "REMINDER_CLIENT_SECRET"),
            api_url=_required(env, "API_URL").rstrip("/"),
            scope=env.get("REMINDER_SCOPE") or "calendar:reminders",
            interval_seconds=_whole(env, "REMINDER_INTERVAL_SECONDS", 60),
            within_minutes=_whole(env, "REMINDER_WITHIN_MINUTES", 60),
            heartbeat_file=env.get("REMINDER_HEARTBEAT_FILE") or None,
            token_params=_token_params(env.get("REMINDER_TOKEN_PARAMS", "")),
        )


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required")
    return value


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"environment variable {name} must be a positive whole number")
    return int(raw)


def _token_params(text: str) -> tuple[tuple[str, str], ...]:
    pairs = tuple(parse_qsl(text, keep_blank_values=False))
    taken = sorted({name for name, _ in pairs} & OWN_PARAMS)
    if taken:
        raise ConfigError(f"REMINDER_TOKEN_PARAMS may not set {', '.join(taken)}")
    return pairs
