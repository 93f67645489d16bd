"""RFC 9068 JWT access tokens, checked per RFC 8725."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from authlib.oauth2.rfc9068.claims import JWTAccessTokenClaims
from joserfc import jws, jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from .issuer import JwksCache
from .token_cache import VerifiedTokenCache

REALM = "calendar-api"
# RFC 8725 §3.1: an allow-list; never "none", never an HMAC that a public key could "sign".
ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256", "PS256"})
# RFC 9068 §2.1 and §4: the header typ must say this is an access token, not an ID token.
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})


class JWTAccessTokenValidator(JWTBearerTokenValidator):
    """Authlib's RFC 9068 validator, made strict where it is lenient.

    Authlib accepts a missing ``typ``, any algorithm joserfc knows, no leeway, and imports
    whatever key set it is given; here ``typ`` is required, algorithms are allow-listed, the
    key is chosen only by ``kid`` from the issuer's JWKS (``jku``, ``x5u`` and ``jwk`` headers
    are never looked at) and clock skew gets a small leeway.
    """

    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        cache: VerifiedTokenCache,
        leeway: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(issuer=issuer, resource_server=audience, realm=REALM)
        self.jwks = jwks
        self.cache = cache
        self.leeway = leeway
        self.clock = clock

    def authenticate_token(self, token_string: str) -> dict:
        """Verified claims of the token, from the cache when possible."""
        hit = self.cache.get(token_string)
        if hit is not None:
            claims, kid = hit
            if self.jwks.publishes(kid):
                return claims
            self.cache.drop(token_string)
        claims, kid = self._verify(token_string)
        # Never trusted past exp, even with leeway: the leeway is for clock skew at the edges.
        self.cache.put(token_string, claims, kid, float(claims["exp"]))
        return claims

    def validate_token(self, token: dict, scopes: list[str] | None, request: Any) -> None:
        """Claims were checked in authenticate_token; only the scope is left."""
        if self.scope_insufficient(token.get("scope"), scopes):
            raise InsufficientScopeError()

    def _verify(self, token_string: str) -> tuple[dict, str]:
        header = _read_header(token_string)
        if str(header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
            raise invalid_token("the token is not a JWT access token (typ must be at+jwt)")
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise invalid_token("the token's signature algorithm is not accepted")
        kid = header.get("kid")
        key = self.jwks.get_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise invalid_token("the token is not signed by a key of the issuer")
        try:
            token = jwt.decode(token_string, key, algorithms=[header["alg"]])
            claims = JWTAccessTokenClaims(token.claims, token.header, self._claims_options())
            claims.validate(now=int(self.clock()), leeway=self.leeway)
        except ExpiredTokenError as exc:
            raise invalid_token("the token has expired") from exc
        except ClaimError as exc:
            raise invalid_token(f"the token's claims are not valid ({exc.description})") from exc
        except JoseError as exc:
            raise invalid_token("the token's signature is not valid") from exc
        if not isinstance(claims.get("scope", ""), str) or not isinstance(claims["client_id"], str):
            raise invalid_token("the token's scope or client_id claim is malformed")
        return dict(claims), kid

    def _claims_options(self) -> dict:
        # Authlib's set (iss exact, aud contains us, exp, sub, client_id, iat, jti), fresh per
        # call because Authlib pops the validate hooks out of the dict it is given.
        return {
            "iss": {"essential": True, "validate": self.validate_iss},
            "exp": {"essential": True},
            "aud": {"essential": True, "value": self.resource_server},
            "sub": {"essential": True},
            "client_id": {"essential": True},
            "iat": {"essential": True},
            "jti": {"essential": True},
        }


def _read_header(token_string: str) -> dict:
    try:
        return dict(jws.extract_compact(token_string.encode("ascii")).headers())
    except (JoseError, ValueError, UnicodeError) as exc:
        raise invalid_token("the token is not a well-formed JWT") from exc


def invalid_token(description: str) -> InvalidTokenError:
    return InvalidTokenError(description=description, realm=REALM)
