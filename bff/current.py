"""The BFF's state, typed and in one place: `bff()` from any view, hook or helper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:  # only names here: the modules themselves import this one
    import redis

    from .config import Config
    from .logins import LoginStore
    from .rate_limits import RateLimits
    from .upstream import ApiClient

EXTENSION = "bff"


@dataclass
class BffState:
    """What create_app builds once and every request reads."""

    config: Config
    redis: redis.Redis  # sessions, logins, locks, rate limits: one Redis
    logins: LoginStore
    limits: RateLimits
    # Pooled keep-alive connections to the API, and deliberately no cookie jar: a cookie set
    # upstream for one user must never ride along on another user's call.
    api: ApiClient
    ready: tuple[float, dict[str, str]] | None = None  # /readyz's last checks, until when


def bff() -> BffState:
    """The state of the current app."""
    return current_app.extensions[EXTENSION]
