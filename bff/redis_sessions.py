"""Flask-Session's Redis sessions, tuned for a proxy: one round trip per request, no idle writes."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

import redis
from flask import Flask, session
from flask_session.redis import RedisSession, RedisSessionInterface


class BrowserSession(RedisSession):
    """A server-side session plus what was read beside it: its companion record and whether
    its idle timeout was pushed forward lately."""

    companion: bytes | None = None
    slid_lately: bool = False
    unavailable: redis.RedisError | None = None  # why Redis could not be read


class RedisSessions(RedisSessionInterface):
    """Browser sessions in Redis with a sliding idle timeout and an absolute cookie lifetime.

    - One round trip: the session, its companion record (the login that carries the tokens,
      stored under a key derived from the same session id) and a marker saying whether the idle
      timeout was pushed forward lately are read with one MGET when the request opens it.
    - No idle writes: Flask-Session normally rewrites the whole session at the end of every
      request, which also means a request that only read it would write back what it read at
      its start, erasing what a concurrent request wrote meanwhile (the pending `state` of a
      login started in another tab). Here only a request that changed the session writes it.
    - The idle timeout slides only once a meaningful part of it has passed (`slide_after`, the
      marker's lifetime), in one pipelined write that also lets the companion note the activity.
    - A session that only holds pending logins lives `pending` (minutes), not the idle timeout.
    """

    session_class = BrowserSession

    def __init__(
        self,
        app: Flask,
        client,
        *,
        idle: timedelta,
        absolute: timedelta,
        pending: timedelta,
        companion_key: Callable[[str], str],
        on_slide: Callable[..., None],
        replicated: Callable[..., None] = lambda pipe: None,
    ):
        super().__init__(app, client=client, key_prefix="bff:session:", permanent=True)
        self.idle, self.absolute, self.pending = idle, absolute, pending
        self.companion_key, self.on_slide, self.replicated = companion_key, on_slide, replicated
        # Sliding at most every tenth of the idle timeout (5 min at most) keeps the writes rare
        # while the timeout stays within 10% of what is configured.
        self.slide_after = min(idle / 10, timedelta(minutes=5))
        app.before_request(self.raise_if_unavailable)

    def open_session(self, app: Flask, request) -> BrowserSession:
        """Read the session, its companion and its slide marker in one round trip."""
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 128:
            return self.new_session()
        try:
            raw, companion, slid = self.read(sid)
        except redis.RedisError as exc:
            # Raised again from the first before_request hook, where the app's error handler
            # answers 503: raised here, Flask would log it as an unhandled error with a trace.
            unavailable = self.new_session()
            unavailable.unavailable = exc
            return unavailable
        if raw is None:
            return self.new_session()
        session = self.session_class(self.serializer.decode(raw), sid=sid)
        session.companion, session.slid_lately = companion, slid is not None
        return session

    def read(self, sid: str) -> list[bytes | None]:
        """The session, its companion and its slide marker, as stored, in one MGET."""
        return self.client.mget(self._keys(sid))

    def read_once(self, sid: str) -> list[bytes | None]:
        """The same MGET in one attempt on a pooled connection: the fast lane's read."""
        # redis-py's command path around the round trip (retries, event hooks, metrics) cost
        # as many instructions as the rest of the lane's own work (scripts/bench_instructions.py).
        # The lane hands any failure to the Flask view, whose `read` retries as configured.
        pool = self.client.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_command("MGET", *self._keys(sid))
            return connection.read_response()
        except BaseException:
            connection.disconnect()  # half a conversation: never reuse it
            raise
        finally:
            pool.release(connection)

    def _keys(self, sid: str) -> tuple[str, str, str]:
        return self._get_store_id(sid), self.companion_key(sid), self.slid_key(sid)

    def slid_key(self, sid: str) -> str:
        """A marker that lives `slide_after`: while it exists, the idle timeout is fresh enough."""
        return "bff:slid:" + sid

    @staticmethod
    def raise_if_unavailable() -> None:
        """Hand a failed session read to the app's error handlers."""
        unavailable = getattr(session, "unavailable", None)
        if unavailable:
            raise unavailable

    def new_session(self) -> BrowserSession:
        """An empty session with a fresh id; stored only if the request puts something in it."""
        return self.session_class(sid=self._generate_sid(self.sid_length), permanent=True)

    def regenerate(self, session: BrowserSession) -> None:
        """A new id for this session (session fixation defence), even while it is still empty."""
        self._delete_session(self._get_store_id(session.sid))
        session.sid = self._generate_sid(self.sid_length)
        session.companion, session.modified = None, True

    def save_session(self, app: Flask, session, response) -> None:
        """Save a changed session; for an unchanged one, slide its idle timeout when it is due."""
        if session is None or session.unavailable:
            return  # Redis is away; the error handler has answered already
        if session.modified or not session:
            super().save_session(app, session, response)
        elif session.get("login_id") and not session.slid_lately:
            pipe = self.client.pipeline(transaction=False)
            pipe.expire(self._get_store_id(session.sid), self.idle)
            pipe.set(self.slid_key(session.sid), 1, ex=self.slide_after)
            self.on_slide(pipe, session.sid, session.companion)
            pipe.execute()

    def should_set_storage(self, app: Flask, session) -> bool:
        """Write only what this request changed."""
        return session.modified

    def _upsert_session(self, session_lifetime, session, store_id: str) -> None:
        """Keep a signed-in session for the idle timeout, one with only pending logins briefly."""
        signed_in = bool(session.get("login_id"))
        lifetime = self.idle if signed_in else self.pending
        pipe = self.client.pipeline(transaction=False)
        pipe.set(store_id, self.serializer.encode(session), ex=lifetime)
        if signed_in:
            pipe.set(self.slid_key(session.sid), 1, ex=self.slide_after)
            self.replicated(pipe)  # a completed login must survive a failover
        pipe.execute()

    def get_expiration_time(self, app: Flask, session) -> datetime:
        """The cookie may live as long as the longest session; Redis enforces the idle limit."""
        return datetime.now(UTC) + self.absolute


def browser_session() -> BrowserSession:
    """This request's session, as RedisSessions opened it (Flask types it as a plain mapping)."""
    return cast(BrowserSession, session)
