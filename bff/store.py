"""Login records: the tokens and display claims behind a signed-in browser session."""

import hashlib
import json
import secrets
import time

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
    """Keeps each login's tokens in Redis under a random id that only the session knows.

    Tokens live in their own record, not inside the Flask session blob, because Flask-Session
    rewrites the whole blob at the end of every request: a slow request that started before a
    refresh would otherwise write the old, already rotated tokens back.
    """

    def __init__(self, client: redis.Redis, absolute_seconds: int):
        self.redis = client
        self.absolute_seconds = absolute_seconds

    def create(
        self, token: dict, id_claims: dict, device: str = "", trace_id: str | None = None
    ) -> str:
        """Store a fresh login, index it by user and IdP session, and return its id."""
        login_id = secrets.token_urlsafe(32)
        now = int(time.time())
        record = {
            "claims": display_claims(id_claims),
            "sub": id_claims.get("sub"),
            "sid": id_claims.get("sid"),
            "device": device[:200],
            "trace_id": trace_id,  # trainer mode's timeline, so back-channel events find it
            "created_at": now,
            "expires_at": now + self.absolute_seconds,
            **token_fields(token, now),
        }
        self._write(login_id, record)
        if record["sub"]:
            self.redis.zadd(BY_USER + record["sub"], {login_id: now})
            self.redis.expire(BY_USER + record["sub"], self.absolute_seconds)
        if record["sid"]:
            self.redis.sadd(BY_SID + record["sid"], login_id)
            self.redis.expire(BY_SID + record["sid"], self.absolute_seconds)
        return login_id

    def get(self, login_id: str) -> dict | None:
        """Return the record, or None when it expired or never existed."""
        raw = self.redis.get(PREFIX + login_id)
        return json.loads(raw) if raw else None

    def touch(self, login_id: str, record: dict) -> None:
        """Note activity, for the sessions list's "last seen"."""
        if record.get("sub"):
            self.redis.zadd(BY_USER + record["sub"], {login_id: int(time.time())})

    def update_tokens(self, login_id: str, record: dict, token: dict) -> dict:
        """Store the tokens of a refresh; a refresh token the IdP did not rotate is kept."""
        record = record | token_fields(token, int(time.time()), record.get("refresh_token"))
        self._write(login_id, record)
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
        for login_id, seen in self.redis.zrevrange(BY_USER + sub, 0, -1, withscores=True):
            login_id = login_id.decode()
            record = self.get(login_id)
            if record is None:  # expired on its own; drop the stale index entry
                self.redis.zrem(BY_USER + sub, login_id)
            else:
                live.append((login_id, record, int(seen)))
        return live

    def of_idp_session(self, sid: str) -> list[str]:
        """Login ids created under one IdP session."""
        return [member.decode() for member in self.redis.smembers(BY_SID + sid)]

    def _write(self, login_id: str, record: dict) -> None:
        # The session lives as long as its refresh token, or, without one, its access token.
        if record.get("refresh_token"):
            end = min(
                record["expires_at"], record.get("refresh_expires_at") or record["expires_at"]
            )
        else:
            end = min(record["expires_at"], record["access_expires_at"])
        self.redis.set(PREFIX + login_id, json.dumps(record), ex=max(1, end - int(time.time())))


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
