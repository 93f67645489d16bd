"""What the API learns from the issuer: discovery metadata and its signing keys (JWKS)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import requests
from joserfc.errors import JoseError
from joserfc.jwk import Key, import_key

HTTP_TIMEOUT_SECONDS = 5
# While no key was ever fetched, an unreachable IdP is asked again at most this often.
RETRY_AFTER_FAILURE_SECONDS = 1.0


class IssuerUnavailable(RuntimeError):
    """The IdP could not be reached or answered nonsense; callers get a 503, not a 401."""


class IssuerMetadata:
    """OIDC discovery document of one issuer, fetched on first use and then kept.

    Fetching lazily lets the API start before the IdP does.
    """

    def __init__(self, issuer: str, http: requests.Session | None = None) -> None:
        self.issuer = issuer
        self.http = http or requests.Session()
        self._document: dict | None = None
        self._lock = threading.Lock()

    def get(self, name: str) -> str:
        """Return one endpoint URL from the discovery document."""
        document = self._document or self._fetch()
        value = document.get(name)
        if not isinstance(value, str) or not value:
            raise IssuerUnavailable(f"discovery document has no {name}")
        return value

    def _fetch(self) -> dict:
        with self._lock:
            if self._document is None:
                # OIDC Discovery 1.0 §4: drop a trailing "/" before appending the well-known path.
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                document = _get_json(self.http, url)
                # OIDC Discovery 1.0 §4.3: the document must name the issuer we asked.
                if document.get("issuer") != self.issuer:
                    raise IssuerUnavailable("discovery document names another issuer")
                self._document = document
            return self._document


class JwksCache:
    """The issuer's public keys by ``kid``, refreshed after a lifetime or for an unknown ``kid``.

    An unknown ``kid`` causes at most one re-fetch per ``min_refetch`` seconds, so a flood of
    forged ``kid`` values costs the IdP almost nothing while a real key rotation is picked up
    at once.
    """

    def __init__(
        self,
        metadata: IssuerMetadata,
        lifetime: float,
        min_refetch: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metadata = metadata
        self.lifetime = lifetime
        self.min_refetch = min_refetch
        self.clock = clock
        self._keys: dict[str, Key] = {}
        self._fetched_at: float | None = None
        self._unknown_kid_fetch_at: float | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def publishes(self, kid: str | None) -> bool:
        """Whether the issuer still publishes this key id (refreshing after the lifetime)."""
        self._refresh_if_stale()
        return kid in self._keys

    def get_key(self, kid: str) -> Key | None:
        """The published key with this ``kid``, or None when the issuer does not publish it."""
        self._refresh_if_stale()
        key = self._keys.get(kid)
        if key is None and self._may_refetch_for_unknown_kid():
            self._fetch(keep_old_on_error=True)
            key = self._keys.get(kid)
        return key

    def _refresh_if_stale(self) -> None:
        if self._fetched_at is None:
            failed_at = self._failed_at
            if failed_at is not None and self.clock() - failed_at < RETRY_AFTER_FAILURE_SECONDS:
                # Every request would otherwise wait on a dead IdP: answer 503 at once.
                raise IssuerUnavailable("the issuer failed a moment ago")
            self._fetch(keep_old_on_error=False)
        elif self.clock() - self._fetched_at >= self.lifetime:
            # A slow or absent IdP must not break tokens signed by keys we already hold.
            self._fetch(keep_old_on_error=True)

    def _may_refetch_for_unknown_kid(self) -> bool:
        with self._lock:
            now = self.clock()
            last = self._unknown_kid_fetch_at
            if last is not None and now - last < self.min_refetch:
                return False
            self._unknown_kid_fetch_at = now
            return True

    def _fetch(self, keep_old_on_error: bool) -> None:
        with self._lock:
            self.fetch_count += 1
            try:
                document = _get_json(self.metadata.http, self.metadata.get("jwks_uri"))
                self._keys = _public_keys_by_kid(document)
            except IssuerUnavailable:
                if not (keep_old_on_error and self._keys):
                    self._failed_at = self.clock()
                    raise
            self._fetched_at = self.clock()


def _public_keys_by_kid(document: dict) -> dict[str, Key]:
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise IssuerUnavailable("the JWKS has no keys array")
    keys: dict[str, Key] = {}
    for entry in entries:
        try:
            key = import_key(entry)
        except (JoseError, ValueError, TypeError, KeyError):
            continue  # a key type we cannot use must not hide the keys we can
        # Without a kid a key cannot be chosen for a token; encryption keys never sign.
        if key.kid and key.get("use", "sig") == "sig" and not key.is_private:
            keys[key.kid] = key
    return keys


def _get_json(http: requests.Session, url: str) -> dict:
    try:
        response = http.get(url, timeout=HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise IssuerUnavailable(f"could not fetch {url}") from exc
    if not isinstance(document, dict):
        raise IssuerUnavailable(f"{url} did not return a JSON object")
    return document
