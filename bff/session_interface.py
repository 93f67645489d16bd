"""Flask-Session's Redis sessions, minus one race: an unchanged session is never written back."""

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask_session.redis import RedisSessionInterface


class RedisSessions(RedisSessionInterface):
    """Browser sessions in Redis with a sliding idle timeout and an absolute cookie lifetime.

    Flask-Session normally rewrites the whole session at the end of every request. A request
    that only read the session (a poll, an API call) would then write back what it read at its
    start, erasing what a concurrent request wrote meanwhile: the pending `state` of a login
    started in another tab, or a fresh login. Here only a request that changed the session
    writes it; every other request just pushes its expiry forward.
    """

    def __init__(self, app: Flask, client, idle: timedelta, absolute: timedelta):
        super().__init__(app, client=client, key_prefix="bff:session:", permanent=True)
        self.idle, self.absolute = idle, absolute

    def should_set_storage(self, app: Flask, session) -> bool:
        """Write only what this request changed."""
        return session.modified

    def save_session(self, app: Flask, session, response) -> None:
        """Save a changed session; for an unchanged one, slide its idle timeout in Redis."""
        super().save_session(app, session, response)
        if session and not session.modified:
            self.client.expire(self._get_store_id(session.sid), self.idle)

    def get_expiration_time(self, app: Flask, session) -> datetime:
        """The cookie may live as long as the longest session; Redis enforces the idle limit."""
        return datetime.now(UTC) + self.absolute
