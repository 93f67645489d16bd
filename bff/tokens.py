"""Fresh access tokens: refresh shortly before expiry, once per session across all BFF processes."""

import time
from contextlib import contextmanager

import requests
from authlib.integrations.base_client import OAuthError

from . import logs, signals
from .current import bff
from .logins import LoginStore
from .oidc import idp, metadata

# The refresh lock's lease, in IdP timeouts: it outlives the slowest possible refresh, so it
# never lapses while its holder still works, and a crashed holder frees the session after it.
LOCK_LEASE_TIMEOUTS = 3
# After a failed refresh, a still-valid access token is used and the refresh retried this much
# later: well inside the reuse grace period providers give a refresh whose answer was lost.
RETRY_SECONDS = 3
# A token this close to its expiry is not sent: it could expire on its way to the API.
USABLE_MARGIN_SECONDS = 2


class LoginExpired(Exception):
    """The session cannot get a valid access token any more; the user must sign in again."""


class IdpUnavailable(Exception):
    """The IdP could not be reached; the session is kept for a retry."""


@contextmanager
def token_client():
    """Authlib's OAuth2 client for the IdP, authenticated as this BFF (no public accessor)."""
    meta = metadata()
    with idp()._get_oauth_client(**meta) as client:
        yield client, meta


def fresh_record(store: LoginStore, login_id: str, record: dict, force: bool = False) -> dict:
    """Return the login with an access token that is not about to expire, refreshing if needed.

    `force` refreshes even a token that looks fresh (the API refused it), unless another
    request has already replaced that token.
    """
    if not force and not due(record):
        return record  # refresh only near expiry, never on every call
    if not record.get("refresh_token"):
        if not force and usable(record):
            return record
        store.delete(login_id)
        raise LoginExpired
    refused = record["access_token"] if force else None
    lease = LOCK_LEASE_TIMEOUTS * bff().config.idp_timeout_seconds
    lock = bff().redis.lock(f"bff:lock:refresh:{login_id}", timeout=lease, blocking_timeout=lease)
    with lock:
        # Another process may have refreshed while this one waited: use its result.
        latest = store.get(login_id)
        if latest is None:
            raise LoginExpired
        record = latest
        if refused and record["access_token"] != refused:
            return record
        if not refused and not due(record):
            return record
        try:
            return _refresh(store, login_id, record)
        except IdpUnavailable:
            if refused or not usable(record):
                raise
            # The access token is still good: keep using it, and let the next attempt wait a
            # little, so an IdP that hangs does not make every call wait for its timeout.
            logs.event("refresh_failed", "fault", action="access_token_kept")
            store.update(login_id, record | {"retry_refresh_at": int(time.time()) + RETRY_SECONDS})
            return record


def due(record: dict, margin: float | None = None) -> bool:
    """Is the access token within the refresh margin of its expiry (and no retry pending)?"""
    now = time.time()
    if record.get("retry_refresh_at", 0) > now and usable(record):
        return False
    if margin is None:
        margin = bff().config.refresh_margin_seconds
    return record["access_expires_at"] - now <= margin


def usable(record: dict) -> bool:
    """Is the access token still valid for a moment, if not for long?"""
    return record["access_expires_at"] - time.time() > USABLE_MARGIN_SECONDS


def _refresh(store: LoginStore, login_id: str, record: dict) -> dict:
    """Redeem the refresh token once and store the rotated tokens."""
    try:
        with token_client() as (client, meta):
            token = client.refresh_token(
                meta["token_endpoint"], refresh_token=record["refresh_token"]
            )
    except OAuthError as exc:
        if exc.error != "invalid_grant":
            # A server error or an IdP in maintenance says nothing about this refresh token.
            raise IdpUnavailable(exc.error) from exc
        latest = store.get(login_id)
        if latest and latest.get("refresh_token") != record["refresh_token"]:
            return latest  # someone else rotated it after all: their tokens are good
        logs.event("refresh_refused", "error", action="login_ended")
        store.delete(login_id)
        raise LoginExpired from exc
    except requests.RequestException as exc:
        raise IdpUnavailable from exc
    record_after = store.update_tokens(login_id, record, token)
    signals.send(
        signals.tokens_refreshed,
        login_id=login_id,
        refresh_token=record["refresh_token"],
        token=token,
    )
    return record_after


def revoke_refresh_token(record: dict) -> None:
    """Revoke the login's refresh token at the IdP (RFC 7009), when the IdP offers revocation."""
    try:
        if not record.get("refresh_token") or not metadata().get("revocation_endpoint"):
            return
        with token_client() as (client, meta):
            response = client.revoke_token(
                meta["revocation_endpoint"],
                token=record["refresh_token"],
                token_type_hint="refresh_token",  # noqa: S106 - a hint name, not a secret
            )
    except requests.RequestException as exc:
        raise IdpUnavailable from exc
    if response.status_code >= 500:
        raise IdpUnavailable(f"revocation answered {response.status_code}")
