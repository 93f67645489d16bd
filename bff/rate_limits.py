"""Rate limits on the endpoints anyone can hit without a session: login, callback, back-channel."""

import time
from functools import wraps

import redis
from flask import request
from limits import parse
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

from . import logs
from .current import bff
from .errors import error_page, json_error, wants_json


class RateLimits:
    """Fixed-window counters per client address in the BFF's own Redis (shared by all replicas)."""

    def __init__(self, client: redis.Redis, rules: dict[str, str]):
        # The library's Redis storage, on the connection pool the sessions already use.
        storage = RedisStorage(
            "redis://", connection_pool=client.connection_pool, key_prefix="bff:rate"
        )
        self.limiter = FixedWindowRateLimiter(storage)
        self.rules = {name: parse(value) for name, value in rules.items() if value}

    def retry_after(self, name: str, who: str) -> int | None:
        """Count one hit; None if within the limit, else the seconds until the window resets."""
        rule = self.rules.get(name)
        if rule is None or self.limiter.hit(rule, name, who):
            return None
        reset_at, _remaining = self.limiter.get_window_stats(rule, name, who)
        return max(1, int(reset_at - time.time()) + 1)


def limited(name: str):
    """Refuse a client address over the `name` limit with 429 and `Retry-After`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            wait = bff().limits.retry_after(name, request.remote_addr or "")
            if wait is None:
                return view(*args, **kwargs)
            logs.event("rate_limited", "refused", limit=name)
            message = "Too many requests from this address; retry later."
            if wants_json():
                response = json_error(429, "rate_limited", message)
            else:
                response = error_page(429, "Too many requests", message)
            response.headers["Retry-After"] = str(wait)
            return response

        return wrapper

    return decorate
