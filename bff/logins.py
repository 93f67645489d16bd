"""Login records: the tokens and display claims behind a signed-in browser session."""

import hashlib
import json
import time
from typing import cast

import redis

PREFIX = "bff:login:"
BY_USER = "bff:user:"  # sorted set of a user's login ids, scored by last activity
BY_SID = "bff:sid:"  # set of login ids that belong to one IdP session (back-channel logout)


def display_claims(id_claims: dict) -> dict:
    """The few ID-token claims the SPA may see; never a token."""
    keys = ("sub", "name", "preferred_username", "email")
    return {key: id_claims[key] for key in keys if key in id_claims}


def handle(login_id: str) -> str:
    """A public name for a login, safe to show in the sessions list; the id itself stays secret."""
    return hashlib.sha256(login_id.encode()).hexdigest()[:16]


class LoginStore:
    """Keeps each login's tokens in Redis, named by the browser session's (secret) id.

    Tokens live in their own record, not inside the Flask session blob, so that only the refresh
    lock ever rewrites them: a slow request that started before a refresh can never write the
    old, already rotated tokens back. Sharing the session's id lets the session interface read
    the session and its login in one round trip.
    """

    def __init__(
        self, client: redis.Redis, absolute_seconds: int, idle_seconds: int, replicas=(0, 0)
    ):
        self.redis = client
        self.absolute_seconds, self.idle_seconds = absolute_seconds, idle_seconds
        self.replicas = replicas  # (how many must acknowledge a token write, within ms)

    def create(
        self,
        login_id: str,
        token: dict,
        id_claims: dict,
        device: str = "",
    ) -> None:
        """Store a fresh login under the browser session's id; index it by user and IdP session."""
        now = int(time.time())
        record = {
            "claims": display_claims(id_claims),
            "sub": id_claims.get("sub"),
            "sid": id_claims.get("sid"),
            "device": device[:200],
            "created_at": now,
            "expires_at": now + self.absolute_seconds,
            **token_fields(token, now),
        }
        pipe = self.redis.pipeline(transaction=False)
        self._write(login_id, record, pipe)
        if record["sub"]:
            pipe.zadd(BY_USER + record["sub"], {login_id: now})
            pipe.expire(BY_USER + record["sub"], self.absolute_seconds)
        if record["sid"]:
            pipe.sadd(BY_SID + record["sid"], login_id)
            pipe.expire(BY_SID + record["sid"], self.absolute_seconds)
        self.replicated(pipe)
        pipe.execute()

    @staticmethod
    def key(login_id: str) -> str:
        """The Redis key of a login record (the browser session's id names it)."""
        return PREFIX + login_id

    @staticmethod
    def decode(raw: bytes | None) -> dict | None:
        """A stored record, or None."""
        return json.loads(raw) if raw else None

    def get(self, login_id: str) -> dict | None:
        """Return the record, or None when it expired or never existed."""
        return self.decode(cast(bytes | None, self.redis.get(PREFIX + login_id)))

    def slide(self, pipe, login_id: str, raw: bytes | None) -> None:
        """Queue on `pipe`: note activity ("last seen") and keep the record as long as the session.

        Called only when the browser session's idle timeout is pushed forward, which happens
        once in a while, not on every request (see redis_sessions.py).
        """
        record = self.decode(raw)
        if record is None:
            return
        now = int(time.time())
        pipe.expireat(PREFIX + login_id, self._until(record, now))
        if record.get("sub"):
            pipe.zadd(BY_USER + record["sub"], {login_id: now})

    def update_tokens(self, login_id: str, record: dict, token: dict) -> dict:
        """Store the tokens of a refresh; a refresh token the IdP did not rotate is kept."""
        fields = token_fields(token, int(time.time()), record.get("refresh_token"))
        record = {k: v for k, v in record.items() if k != "retry_refresh_at"} | fields
        self._write(login_id, record)
        return record

    def update(self, login_id: str, record: dict) -> None:
        """Rewrite a login record (only ever under its refresh lock)."""
        self._write(login_id, record)

    def mark_access_expired(self, login_id: str) -> dict | None:
        """Note the access token as expired now, so the next API call refreshes it first."""
        record = self.get(login_id)
        if record is not None:
            record["access_expires_at"] = int(time.time()) - 1
            self.redis.set(PREFIX + login_id, json.dumps(record), keepttl=True)
        return record

    def delete(self, login_id: str) -> dict | None:
        """Forget a login and its index entries; return what it was."""
        record = self.get(login_id)
        self.redis.delete(PREFIX + login_id)
        if record and record.get("sub"):
            self.redis.zrem(BY_USER + record["sub"], login_id)
        if record and record.get("sid"):
            self.redis.srem(BY_SID + record["sid"], login_id)
        return record

    def of_user(self, sub: str) -> list[tuple[str, dict, int]]:
        """(login id, record, last seen) of a user's live logins, most recent first."""
        live = []
        index = self.redis.zrevrange(BY_USER + sub, 0, -1, withscores=True)
        for member, seen in cast(list[tuple[bytes, float]], index):
            login_id = member.decode()
            record = self.get(login_id)
            if record is None:  # expired on its own; drop the stale index entry
                self.redis.zrem(BY_USER + sub, login_id)
            else:
                live.append((login_id, record, int(seen)))
        return live

    def of_idp_session(self, sid: str) -> list[str]:
        """Login ids created under one IdP session."""
        members = cast(set[bytes], self.redis.smembers(BY_SID + sid))
        return [member.decode() for member in members]

    @staticmethod
    def _end(record: dict) -> int:
        """When a login ends: with its refresh token, or without one, its access token."""
        if record.get("refresh_token"):
            refresh_end = record.get("refresh_expires_at") or record["expires_at"]
            return min(record["expires_at"], refresh_end)
        return min(record["expires_at"], record["access_expires_at"])

    def _until(self, record: dict, now: int) -> int:
        # An idle browser session takes its tokens with it: the record never outlives it long.
        return min(self._end(record), now + self.idle_seconds)

    def replicated(self, pipe) -> None:
        """Queue a WAIT, so the writes queued before it reach the replicas before we answer."""
        count, milliseconds = self.replicas
        if count:
            pipe.wait(count, milliseconds)

    def _write(self, login_id: str, record: dict, pipe=None) -> None:
        now = int(time.time())
        ttl = max(1, self._until(record, now) - now)
        if pipe is not None:
            pipe.set(PREFIX + login_id, json.dumps(record), ex=ttl)
            return
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(PREFIX + login_id, json.dumps(record), ex=ttl)
        self.replicated(pipe)  # a rotated refresh token must survive a failover
        pipe.execute()


def token_fields(token: dict, now: int, old_refresh_token: str | None = None) -> dict:
    """The parts of a token response the BFF keeps."""
    fields = {
        "access_token": token["access_token"],
        "access_expires_at": int(token.get("expires_at") or now + int(token.get("expires_in", 60))),
        "refresh_token": token.get("refresh_token") or old_refresh_token,
    }
    if token.get("refresh_expires_in"):  # sent by Keycloak, among others
        fields["refresh_expires_at"] = now + int(token["refresh_expires_in"])
    if token.get("id_token"):
        fields["id_token"] = token["id_token"]
    return fields
