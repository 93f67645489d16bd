"""The job's HTTP session: Authlib's OAuth2Session with a client-credentials token (RFC 6749 §4.4).

Authlib renews the token itself: before each request its `ensure_active_token` checks whether
the token expires within `leeway` seconds and, since the session's grant type is
client_credentials and the token has no refresh token, fetches a new one from the token endpoint.
"""

from __future__ import annotations

import requests
from authlib.integrations.requests_client import OAuth2Session

from .config import Config

# Renew this long before expiry so a token never dies on its way to the API (at most half
# the token's lifetime, so a short-lived token is not renewed before every call).
RENEW_MARGIN_SECONDS = 30
# RFC 6749 §5.1 only recommends expires_in: without it, assume the token lives this long.
DEFAULT_LIFETIME_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 5


class ServiceSession(OAuth2Session):
    """Requests carrying the job's own access token: no end user, just its service identity."""

    def __init__(self, config: Config, token_endpoint: str) -> None:
        super().__init__(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
            scope=config.scope,
            token_endpoint=token_endpoint,
            grant_type="client_credentials",
            leeway=RENEW_MARGIN_SECONDS,
            default_timeout=HTTP_TIMEOUT_SECONDS,
        )
        self.token_params = dict(config.token_params)

    def fetch_token(self, url=None, **kwargs):
        """Request a token with the provider's extra parameters (e.g. Auth0's audience)."""
        # Authlib's own renewals call this method too, so they carry the parameters as well.
        return super().fetch_token(url, **(self.token_params | kwargs))

    def parse_response_token(self, resp):
        """The token, kept so that only client credentials renew it, and always with an expiry."""
        token = super().parse_response_token(resp)
        # RFC 6749 §4.4.3: no refresh token for this grant. One sent anyway is dropped, or
        # Authlib would renew with it instead of the client credentials.
        fields = {name: value for name, value in token.items() if name != "refresh_token"}
        if fields.get("expires_at") is None:
            fields["expires_in"] = DEFAULT_LIFETIME_SECONDS  # Authlib derives expires_at
        lifetime = float(fields.get("expires_in") or DEFAULT_LIFETIME_SECONDS)
        self.leeway = min(RENEW_MARGIN_SECONDS, lifetime / 2)
        self.token = fields
        return self.token

    def ensure_token(self) -> None:
        """Fetch a first token, or a new one after forget(); later renewals are Authlib's."""
        if not self.token:
            self.fetch_token()

    def forget(self) -> None:
        """Drop the token (the API refused it, e.g. after a key rotation)."""
        self.token = None


def discover_token_endpoint(issuer: str, http: requests.Session) -> str:
    """The token endpoint from OpenID Connect Discovery."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = http.get(url, timeout=HTTP_TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()["token_endpoint"]
