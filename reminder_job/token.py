"""A client-credentials access token (RFC 6749 §4.4), fetched once and reused until near expiry."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import requests
from authlib.integrations.requests_client import OAuth2Session

from .config import Config

# Renew this long before expiry so a token never dies on its way to the API.
RENEW_MARGIN_SECONDS = 30
# When the token endpoint does not say how long a token lives, assume this.
DEFAULT_LIFETIME_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 5


class ServiceToken:
    """The job's own access token: no end user involved, just its service identity."""

    def __init__(
        self,
        config: Config,
        http: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.http = http or requests.Session()
        self.clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._token_endpoint: str | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        """A valid access token, requesting a new one only when the cached one is near expiry."""
        with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                self._fetch()
            assert self._token is not None  # _fetch() sets it or raises
            return self._token

    def forget(self) -> None:
        """Drop the cached token (the API refused it, e.g. after a key rotation)."""
        with self._lock:
            self._token = None

    def _fetch(self) -> None:
        session = OAuth2Session(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
            scope=self.config.scope,
        )
        token = session.fetch_token(
            self._discover_token_endpoint(),
            grant_type="client_credentials",
            timeout=HTTP_TIMEOUT_SECONDS,
            **dict(self.config.token_params),  # a provider's quirk, e.g. Auth0's audience
        )
        lifetime = float(token.get("expires_in") or DEFAULT_LIFETIME_SECONDS)
        margin = min(RENEW_MARGIN_SECONDS, lifetime / 2)
        self._token = token["access_token"]
        self._renew_at = self.clock() + lifetime - margin

    def _discover_token_endpoint(self) -> str:
        if self._token_endpoint is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            response = self.http.get(url, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            self._token_endpoint = response.json()["token_endpoint"]
        return self._token_endpoint
