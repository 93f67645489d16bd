"""RFC 7662 token introspection, for opaque tokens: the IdP says whether a token is active."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from authlib.oauth2.rfc6750 import InsufficientScopeError
from authlib.oauth2.rfc7662 import IntrospectTokenValidator

from .issuer import HTTP_TIMEOUT_SECONDS, IssuerMetadata, IssuerUnavailable
from .token_cache import VerifiedTokenCache
from .tokens import REALM, invalid_token

# RFC 7662 §2.2 leaves every claim optional; these are what the API needs to answer a call.
REQUIRED_CLAIMS = ("sub", "client_id", "exp")


class IntrospectionValidator(IntrospectTokenValidator):
    """Authlib's introspection validator with the API's own client credentials, the same claim
    checks as JWT mode (issuer, audience, expiry) and a short cache of active answers."""

    def __init__(
        self,
        metadata: IssuerMetadata,
        audience: str,
        credentials: tuple[str, str],
        cache: VerifiedTokenCache,
        cache_seconds: int,
        leeway: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(realm=REALM)
        self.metadata = metadata
        self.audience = audience
        self.credentials = credentials
        self.cache = cache
        self.cache_seconds = cache_seconds
        self.leeway = leeway
        self.clock = clock

    def authenticate_token(self, token_string: str) -> dict:
        """The active token's claims, from the short cache when possible."""
        hit = self.cache.get(token_string)
        if hit is not None:
            return hit[0]
        claims = self._check(self.introspect_token(token_string))
        # A revoked token is noticed within cache_seconds, and never used past its exp.
        expires_at = min(self.clock() + self.cache_seconds, float(claims["exp"]))
        self.cache.put(token_string, claims, None, expires_at)
        return claims

    def introspect_token(self, token_string: str) -> dict:
        """Ask the introspection endpoint, authenticated as the API (client_secret_basic)."""
        url = self.metadata.get("introspection_endpoint")
        try:
            response = self.metadata.http.post(
                url,
                data={"token": token_string, "token_type_hint": "access_token"},
                auth=self.credentials,
                timeout=HTTP_TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            # Our own credentials failing is the API's problem, not the caller's: 503, not 401.
            raise IssuerUnavailable("introspection failed") from exc
        if not isinstance(answer, dict):
            raise IssuerUnavailable("introspection answer is not a JSON object")
        return answer

    def validate_token(self, token: dict, scopes: list[str] | None, request: object) -> None:
        """Claims were checked in authenticate_token; only the scope is left."""
        if self.scope_insufficient(token.get("scope"), scopes):
            raise InsufficientScopeError()

    def _check(self, answer: dict) -> dict:
        if answer.get("active") is not True:
            raise invalid_token("the token is not active")
        missing = [name for name in REQUIRED_CLAIMS if answer.get(name) in (None, "")]
        if missing:
            raise invalid_token(f"the token has no {missing[0]}")
        if "iss" in answer and answer["iss"] != self.metadata.issuer:
            raise invalid_token("the token was issued by another issuer")
        audiences = answer.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences or []
        if self.audience not in audiences:
            raise invalid_token("the token is meant for another audience")
        if (
            not isinstance(answer["exp"], int | float)
            or answer["exp"] <= self.clock() - self.leeway
        ):
            raise invalid_token("the token has expired")
        if (
            isinstance(answer.get("nbf"), int | float)
            and answer["nbf"] > self.clock() + self.leeway
        ):
            raise invalid_token("the token is not valid yet")
        if not isinstance(answer.get("scope", ""), str):
            raise invalid_token("the token's scope is malformed")
        if str(answer.get("token_type", "bearer")).lower() == "refresh_token":
            raise invalid_token("a refresh token is not an access token")
        return answer
