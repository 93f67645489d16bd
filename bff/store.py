"""Login records: the tokens and display claims behind a signed-in browser session."""

import json
import secrets
import time

import redis

PREFIX = "bff:login:"


def display_claims(id_claims: dict) -> dict:
    """The few ID-token claims the SPA may see; never a token."""
    keys = ("sub", "name", "preferred_username", "email")
    return {key: id_claims[key] for key in keys if key in id_claims}


class LoginStore:
    """Keeps each login's tokens in Redis under a random id that only the session knows.

    Tokens live in their own record, not inside the Flask session blob, because Flask-Session
    rewrites the whole blob at the end of every request: a slow request that started before a
    refresh would otherwise write the old, already rotated tokens back.
    """

    def __init__(self, client: redis.Redis, absolute_seconds: int):
        self.redis = client
        self.absolute_seconds = absolute_seconds

    def create(self, token: dict, id_claims: dict) -> str:
        """Store a fresh login and return its id."""
        login_id = secrets.token_urlsafe(32)
        now = int(time.time())
        record = {
            "claims": display_claims(id_claims),
            "sid": id_claims.get("sid"),
            "created_at": now,
            "expires_at": now + self.absolute_seconds,
            **token_fields(token, now),
        }
        self._write(login_id, record)
        return login_id

    def get(self, login_id: str) -> dict | None:
        """Return the record, or None when it expired or never existed."""
        raw = self.redis.get(PREFIX + login_id)
        return json.loads(raw) if raw else None

    def update_tokens(self, login_id: str, record: dict, token: dict) -> dict:
        """Store the tokens of a refresh; a refresh token the IdP did not rotate is kept."""
        record = {**record, **token_fields(token, int(time.time()), record.get("refresh_token"))}
        self._write(login_id, record)
        return record

    def delete(self, login_id: str) -> None:
        """Forget a login."""
        self.redis.delete(PREFIX + login_id)

    def _write(self, login_id: str, record: dict) -> None:
        # Without a refresh token the session cannot outlive its access token.
        end = record["expires_at"] if record.get("refresh_token") else record["access_expires_at"]
        ttl = max(1, min(end, record["expires_at"]) - int(time.time()))
        self.redis.set(PREFIX + login_id, json.dumps(record), ex=ttl)


def token_fields(token: dict, now: int, old_refresh_token: str | None = None) -> dict:
    """The parts of a token response the BFF keeps."""
    fields = {
        "access_token": token["access_token"],
        "access_expires_at": int(token.get("expires_at") or now + int(token.get("expires_in", 60))),
        "refresh_token": token.get("refresh_token") or old_refresh_token,
    }
    if token.get("id_token"):
        fields["id_token"] = token["id_token"]
    return fields
