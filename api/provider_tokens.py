"""JWT access tokens of a named identity provider (API_TOKEN_PROFILE other than rfc9068)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from authlib.oauth2.rfc6750 import InsufficientScopeError

from .issuer import JwksCache
from .jwt_tokens import JWTAccessTokenValidator, invalid_token
from .token_cache import VerifiedTokenCache
from .token_profiles import ID_TOKEN_ONLY_CLAIMS, TokenProfile
from .verification import RecordedClaims, Verification


class ProviderTokenValidator(JWTAccessTokenValidator):
    """The strict validator's key handling and cache, with one provider's token shape.

    Signature, algorithm allow-list, key choice by ``kid`` only, exact ``iss``, ``aud``
    containing this API, ``exp``/``nbf``/``iat`` with leeway: all as in the RFC 9068 profile.
    What differs is data from the profile: the accepted ``typ`` values, the required claims and
    where the client, scopes and roles are read. The verified claims are returned in the RFC 9068
    shape (``client_id``, space-separated ``scope``) so the routes read one shape everywhere.
    """

    def __init__(
        self,
        profile: TokenProfile,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        cache: VerifiedTokenCache,
        leeway: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.profile = profile  # first: the base class plans its checks from the profile
        super().__init__(issuer, audience, jwks, cache, leeway, clock)
        self.accepted_types = profile.header_types
        self.plan = (*self.plan, "id_token", "client")

    def validate_token(self, token: dict, scopes: list[str] | None, request: Any) -> None:
        """Claims were checked in verify; only the scope is left."""
        if self.scope_insufficient(token.get("scope"), scopes):
            raise InsufficientScopeError()

    def is_service(self, claims: dict) -> bool:
        """Whether the token was issued to a client for itself (client credentials)."""
        return self.profile.is_service(claims, claims["client_id"])

    def _claims(self, record: Verification) -> RecordedClaims:
        profile = self.profile
        options: dict[str, Any] = {name: {"essential": True} for name in profile.required_claims}
        for name, value in profile.fixed_claims.items():
            options[name] = {"essential": True, "value": value}
        return RecordedClaims(
            record,
            int(self.clock()),
            self.leeway,
            **options,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.resource_server},
            exp={"essential": True},
            iat={"essential": True},
        )

    def _accepted(self, claims: dict, record: Verification) -> dict:
        """The claims in the RFC 9068 shape, or invalid_token for an ID token or a malformed one."""
        found = [name for name in ID_TOKEN_ONLY_CLAIMS if name in claims]
        if found:
            record.failed("id_token", f"carries {found[0]}, a claim of ID tokens")
            raise invalid_token(f"an ID token is not an access token (it carries {found[0]})")
        if not any(name in claims for name in self.profile.access_token_markers):
            markers = " or ".join(self.profile.access_token_markers)
            record.failed("id_token", f"has none of the access token claims {markers}")
            raise invalid_token(f"the token has none of the access token claims {markers}")
        client_id = self.profile.client_id(claims)
        if client_id is None:
            record.failed("client", "no claim names the client")
            raise invalid_token("the token does not name its client")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        # An ID token's audience is the client it was issued to; an access token's is the API.
        if client_id in audiences:
            record.failed("id_token", "aud names its own client, as an ID token's does")
            raise invalid_token(
                "the token's audience is its own client: an ID token, not an access token"
            )
        record.passed("id_token", "no ID token claims; aud is not its own client")
        granted = self.profile.granted(claims)
        if granted is None or not isinstance(claims["sub"], str):
            record.failed("client", "scope, role or sub claim is malformed")
            raise invalid_token("the token's scope, role or sub claim is malformed")
        record.passed("client", f"{client_id}, granted {' '.join(granted)[:60] or '(nothing)'}")
        return dict(claims) | {"client_id": client_id, "scope": " ".join(granted)}
