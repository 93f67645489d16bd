"""RFC 7662 token introspection, for opaque tokens: the IdP says whether a token is active."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from authlib.oauth2.rfc6750 import InsufficientScopeError
from authlib.oauth2.rfc7662 import IntrospectTokenValidator

from .issuer import HTTP_TIMEOUT_SECONDS, IssuerMetadata, IssuerUnavailable
from .jwt_tokens import REALM, invalid_token
from .token_cache import VerifiedTokenCache
from .verification import Verification

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

    # The checks of verify(), in order: what a failure lists as skipped.
    plan = ("introspection", "sub", "client_id", "iss", "aud", "exp", "nbf", "token_type")

    def authenticate_token(self, token_string: str) -> dict:
        """The active token's claims (Authlib's interface; the record is not kept)."""
        return self.verify(token_string, Verification("introspection"))

    def verify(self, token_string: str, record: Verification) -> dict:
        """The active token's claims, from the short cache when possible; each check recorded."""
        record.source = "introspection"
        hit = self.cache.get(token_string)
        if hit is not None:
            record.passed("introspection", f"active, answered at most {self.cache_seconds} s ago")
            record.checks.extend(hit.checks)
            return hit.claims
        claims = self._check(self.introspect_token(token_string), record)
        # A revoked token is noticed within cache_seconds, and never used past its exp.
        expires_at = min(self.clock() + self.cache_seconds, float(claims["exp"]))
        self.cache.put(token_string, claims, None, expires_at, tuple(record.checks[1:]))
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

    def _check(self, answer: dict, record: Verification) -> dict:
        if answer.get("active") is not True:
            return _refuse(record, "introspection", "the IdP says the token is not active")
        record.passed("introspection", "the IdP says the token is active")
        for name in REQUIRED_CLAIMS:
            if answer.get(name) in (None, ""):
                return _refuse(record, name, f"the token has no {name}")
            if name != "exp":  # exp has its own check below
                record.passed(name, "present")
        if "iss" in answer and answer["iss"] != self.metadata.issuer:
            return _refuse(record, "iss", "the token was issued by another issuer")
        record.passed("iss", "the configured issuer" if "iss" in answer else "absent (optional)")
        audiences = answer.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences or []
        if self.audience not in audiences:
            return _refuse(record, "aud", "the token is meant for another audience")
        record.passed("aud", f"names {self.audience}")
        now = self.clock()
        if not isinstance(answer["exp"], int | float) or answer["exp"] <= now - self.leeway:
            return _refuse(record, "exp", "the token has expired")
        record.passed("exp", f"expires in {int(answer['exp'] - now)} s")
        if isinstance(answer.get("nbf"), int | float) and answer["nbf"] > now + self.leeway:
            return _refuse(record, "nbf", "the token is not valid yet")
        record.passed("nbf", "not in the future" if "nbf" in answer else "absent (optional)")
        if not isinstance(answer.get("scope", ""), str):
            return _refuse(record, "scope", "the token's scope is malformed")
        if str(answer.get("token_type", "bearer")).lower() == "refresh_token":
            return _refuse(record, "token_type", "a refresh token is not an access token")
        record.passed("token_type", "not a refresh token")
        return answer


def _refuse(record: Verification, name: str, description: str) -> dict:
    record.failed(name, description)
    raise invalid_token(description)
