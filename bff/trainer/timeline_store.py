"""Trainer timelines in Redis: one bounded, expiring list of events per browser session."""

import json
import time

import redis

from ..logins import handle

MAX_EVENTS = 200  # a lesson is a few dozen steps; older ones fall off the front
TTL_SECONDS = 8 * 3600  # as long as an idle browser session lives
PREFIX = "bff:trainer:"


class TimelineStore:
    """The timeline (a list) and the trainer's settings (a hash) of each trace id."""

    def __init__(self, client: redis.Redis, max_events: int = MAX_EVENTS):
        self.redis = client
        self.max_events = max_events

    def append(self, trace_id: str, event: dict) -> dict:
        """Number the event, add it at the end, and keep only the newest `max_events`."""
        event = {"seq": self.redis.incr(PREFIX + "seq:" + trace_id), "time": time.time()} | event
        key = PREFIX + "timeline:" + trace_id
        with self.redis.pipeline() as pipe:
            pipe.rpush(key, json.dumps(event))
            pipe.ltrim(key, -self.max_events, -1)
            pipe.expire(key, TTL_SECONDS)
            pipe.expire(PREFIX + "seq:" + trace_id, TTL_SECONDS)
            pipe.execute()
        return event

    def add_http(self, trace_id: str, seq: int, exchanges: list[dict], first: bool = False) -> None:
        """Attach raw HTTP exchanges to event `seq` (`first`: before those already there)."""
        if not exchanges:
            return
        key = PREFIX + "http:" + trace_id
        held = json.loads(self.redis.hget(key, str(seq)) or "[]")
        held = exchanges + held if first else held + exchanges
        with self.redis.pipeline() as pipe:
            pipe.hset(key, str(seq), json.dumps(held))
            pipe.hdel(key, str(seq - self.max_events))  # its event fell off the timeline
            pipe.expire(key, TTL_SECONDS)
            pipe.execute()

    def http(self, trace_id: str, seq: int) -> list[dict]:
        """The raw HTTP exchanges of event `seq`, in the order they happened."""
        return json.loads(self.redis.hget(PREFIX + "http:" + trace_id, str(seq)) or "[]")

    def clear(self, trace_id: str) -> None:
        """Forget this trace's timeline and raw HTTP; settings (step mode) stay."""
        self.redis.delete(PREFIX + "timeline:" + trace_id, PREFIX + "http:" + trace_id)

    def events(self, trace_id: str, after: int = 0) -> list[dict]:
        """Events numbered above `after`, oldest first."""
        raw = self.redis.lrange(PREFIX + "timeline:" + trace_id, 0, -1)
        return [event for event in map(json.loads, raw) if event["seq"] > after]

    def get(self, trace_id: str, name: str, default=None):
        """One setting of this trace (JSON-decoded)."""
        raw = self.redis.hget(PREFIX + "state:" + trace_id, name)
        return json.loads(raw) if raw is not None else default

    def put(self, trace_id: str, name: str, value) -> None:
        """Store one setting of this trace."""
        key = PREFIX + "state:" + trace_id
        self.redis.hset(key, name, json.dumps(value))
        self.redis.expire(key, TTL_SECONDS)

    def link_login(self, login_id: str, trace_id: str) -> None:
        """Remember which timeline a login belongs to (by its public handle, not its id)."""
        self.redis.set(PREFIX + "login:" + handle(login_id), trace_id, ex=TTL_SECONDS)

    def trace_of_login(self, login_id: str) -> str | None:
        """The timeline of the browser session that created this login, if it was recorded."""
        raw = self.redis.get(PREFIX + "login:" + handle(login_id))
        return raw.decode() if isinstance(raw, bytes) else None

    def take(self, trace_id: str, name: str):
        """Read and remove a one-shot setting (an armed attack), atomically."""
        with self.redis.pipeline() as pipe:
            pipe.hget(PREFIX + "state:" + trace_id, name)
            pipe.hdel(PREFIX + "state:" + trace_id, name)
            raw, _ = pipe.execute()
        return json.loads(raw) if raw is not None else None
