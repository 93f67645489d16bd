"""Reach into the BFF's Redis records, for tests that must set up a moment (token expiry)."""

import json
import time
from typing import cast

import redis


def login_records(redis_url: str) -> dict[str, dict]:
    """Every login record the BFF holds, by key."""
    store = redis.Redis.from_url(redis_url)
    keys = store.scan_iter("bff:login:*")
    return {key.decode(): json.loads(cast(bytes, store.get(key))) for key in keys}


def expire_access_tokens(redis_url: str) -> None:
    """Make every stored access token due for refresh now, as if its lifetime had run out."""
    store = redis.Redis.from_url(redis_url)
    for key, record in login_records(redis_url).items():
        record["access_expires_at"] = int(time.time()) - 1
        store.set(key, json.dumps(record), keepttl=True)
