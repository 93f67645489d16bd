"""All IdP state in Redis under the `idp:` prefix, so every worker and process shares it."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import redis

PREFIX = "idp:"


def new_id(nbytes: int = 32) -> str:
    """A random, URL-safe identifier (codes, tokens, session ids)."""
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """Key secrets by their hash so a Redis dump does not hand out live tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Store:
    """JSON records with a time to live, plus the few set operations the IdP needs."""

    def __init__(self, redis_url: str):
        self.redis = redis.Redis.from_url(redis_url, decode_responses=True)

    def put(self, kind: str, key: str, record: dict, ttl: int) -> None:
        """Store a record for ttl seconds."""
        self.redis.set(self._key(kind, key), json.dumps(record), ex=max(int(ttl), 1))

    def get(self, kind: str, key: str) -> dict | None:
        """Read a record, or None when absent or expired."""
        return _loads(self.redis.get(self._key(kind, key)))

    def get_raw(self, kind: str, key: str) -> str | None:
        """A plain string value (markers, counters)."""
        return _text(self.redis.get(self._key(kind, key)))

    def take(self, kind: str, key: str) -> dict | None:
        """Read and delete in one step: only one caller, on any worker, gets the record."""
        return _loads(self.redis.getdel(self._key(kind, key)))

    def claim(self, kind: str, key: str, ttl: int) -> bool:
        """Set a marker unless it exists: True for exactly one caller across all workers."""
        return bool(self.redis.set(self._key(kind, key), "1", ex=max(int(ttl), 1), nx=True))

    def delete(self, kind: str, key: str) -> None:
        self.redis.delete(self._key(kind, key))

    def add_member(self, kind: str, key: str, member: str, ttl: int) -> None:
        """Add to a set and extend its life to at least ttl seconds."""
        with self.batch() as batch:
            batch.add_member(kind, key, member, ttl)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Writes sent in one round trip when the block ends, applied together (MULTI/EXEC)."""
        with self.redis.pipeline() as pipe:
            yield Batch(pipe)
            pipe.execute()

    def members(self, kind: str, key: str) -> set[str]:
        return {str(_text(member)) for member in self.redis.smembers(self._key(kind, key))}

    def remove_member(self, kind: str, key: str, member: str) -> None:
        self.redis.srem(self._key(kind, key), member)

    def push(self, kind: str, key: str, record: dict) -> None:
        """Append to a queue shared by all workers."""
        self.redis.rpush(self._key(kind, key), json.dumps(record))

    def pop(self, kind: str, key: str) -> dict | None:
        """Take the oldest queue entry; each entry goes to exactly one caller."""
        return _loads(self.redis.lpop(self._key(kind, key)))

    def count(self, kind: str, key: str, ttl: int) -> int:
        """Add one to a counter that is forgotten ttl seconds after its last increase."""
        name = self._key(kind, key)
        with self.redis.pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, max(int(ttl), 1))
            return int(pipe.execute()[0])

    def mark(self, kind: str, key: str, ttl: int) -> None:
        """Set a marker that lasts ttl seconds, replacing any earlier one."""
        self.redis.set(self._key(kind, key), "1", ex=max(int(ttl), 1))

    def longest_ttl(self, kind: str, keys: tuple[str, ...]) -> int:
        """Seconds the longest-lived of these keys has left; 0 when all are absent."""
        with self.redis.pipeline(transaction=False) as pipe:  # one round trip
            for key in keys:
                pipe.ttl(self._key(kind, key))
            return max(0, *(int(ttl) for ttl in pipe.execute()))

    def incr(self, kind: str, key: str) -> int:
        return int(self.redis.incr(self._key(kind, key)))

    def scan(self, kind: str) -> dict[str, str]:
        """Plain string values of every key of a kind (small sets only: test counters)."""
        prefix = self._key(kind, "")
        keys = list(self.redis.scan_iter(match=prefix + "*"))
        values = self.redis.mget(keys) if keys else []
        found = zip(keys, values, strict=True)
        return {str(k).removeprefix(prefix): str(_text(v)) for k, v in found if v is not None}

    def delete_kind(self, kind: str) -> None:
        for name in self.redis.scan_iter(match=self._key(kind, "*")):
            self.redis.delete(name)

    def ping(self) -> bool:
        return bool(self.redis.ping())

    @staticmethod
    def _key(kind: str, key: str) -> str:
        return f"{PREFIX}{kind}:{key}"


class Batch:
    """Store writes queued on a pipeline; see Store.batch."""

    def __init__(self, pipe: redis.client.Pipeline):
        self.pipe = pipe

    def put(self, kind: str, key: str, record: dict, ttl: int) -> None:
        """Store a record for ttl seconds."""
        self.pipe.set(Store._key(kind, key), json.dumps(record), ex=max(int(ttl), 1))

    def add_member(self, kind: str, key: str, member: str, ttl: int) -> None:
        """Add to a set and extend its life to at least ttl seconds."""
        name, ttl = Store._key(kind, key), max(int(ttl), 1)
        self.pipe.sadd(name, member)
        self.pipe.expire(name, ttl, gt=True)
        self.pipe.expire(name, ttl, nx=True)


def _text(value: object) -> str | None:
    # decode_responses=True: redis-py's return types still allow bytes, its values never are.
    return value.decode() if isinstance(value, bytes) else value if isinstance(value, str) else None


def _loads(raw: object) -> dict | None:
    text = _text(raw)
    return json.loads(text) if text else None
