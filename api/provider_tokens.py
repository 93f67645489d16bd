"""JWT access tokens of a named identity provider (API_TOKEN_PROFILE other than rfc9068)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from authlib.oauth2.rfc6750 import InsufficientScopeError
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from .issuer import JwksCache
from .profiles import ID_TOKEN_ONLY_CLAIMS, TokenProfile
from .token_cache import VerifiedTokenCache
from .tokens import ALLOWED_ALGORITHMS, JWTAccessTokenValidator, _read_header, invalid_token


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
        super().__init__(issuer, audience, jwks, cache, leeway, clock)
        self.profile = profile

    def validate_token(self, token: dict, scopes: list[str] | None, request: Any) -> None:
        """Claims were checked in authenticate_token; only the scope is left."""
        if self.scope_insufficient(token.get("scope"), scopes):
            raise InsufficientScopeError()

    def is_service(self, claims: dict) -> bool:
        """Whether the token was issued to a client for itself (client credentials)."""
        return self.profile.is_service(claims, claims["client_id"])

    def _verify(self, token_string: str) -> tuple[dict, str]:
        header = _read_header(token_string)
        typ = str(header.get("typ", "")).lower()
        if typ not in self.profile.header_types:
            raise invalid_token(f"the token's typ {typ or '(none)'} is not an access token type")
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise invalid_token("the token's signature algorithm is not accepted")
        kid = header.get("kid")
        key = self.jwks.get_key(kid) if isinstance(kid, str) else None
        if key is None or not isinstance(kid, str):
            raise invalid_token("the token is not signed by a key of the issuer")
        try:
            claims = jwt.decode(token_string, key, algorithms=[header["alg"]]).claims
            self._registry().validate(claims)
        except ExpiredTokenError as exc:
            raise invalid_token("the token has expired") from exc
        except ClaimError as exc:
            raise invalid_token(f"the token's claims are not valid ({exc.description})") from exc
        except JoseError as exc:
            raise invalid_token("the token's signature is not valid") from exc
        return self._normalized(claims), kid

    def _registry(self) -> jwt.JWTClaimsRegistry:
        profile = self.profile
        options: dict[str, Any] = {name: {"essential": True} for name in profile.required_claims}
        for name, value in profile.fixed_claims.items():
            options[name] = {"essential": True, "value": value}
        return jwt.JWTClaimsRegistry(
            now=int(self.clock()),
            leeway=self.leeway,
            **options,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.resource_server},
            exp={"essential": True},
            iat={"essential": True},
        )

    def _normalized(self, claims: dict) -> dict:
        """The claims in the RFC 9068 shape, or invalid_token for an ID token or a malformed one."""
        found = [name for name in ID_TOKEN_ONLY_CLAIMS if name in claims]
        if found:
            raise invalid_token(f"an ID token is not an access token (it carries {found[0]})")
        if not any(name in claims for name in self.profile.access_token_markers):
            markers = " or ".join(self.profile.access_token_markers)
            raise invalid_token(f"the token has none of the access token claims {markers}")
        client_id = self.profile.client_id(claims)
        if client_id is None:
            raise invalid_token("the token does not name its client")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        # An ID token's audience is the client it was issued to; an access token's is the API.
        if client_id in audiences:
            raise invalid_token(
                "the token's audience is its own client: an ID token, not an access token"
            )
        granted = self.profile.granted(claims)
        if granted is None or not isinstance(claims["sub"], str):
            raise invalid_token("the token's scope, role or sub claim is malformed")
        return dict(claims) | {"client_id": client_id, "scope": " ".join(granted)}
