"""RFC 9068 JWT access tokens, checked per RFC 8725, each check recorded as it is made."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from joserfc import jws, jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import Key

from .issuer import JwksCache
from .token_cache import VerifiedTokenCache
from .verification import RecordedClaims, Verification

REALM = "calendar-api"
# RFC 8725 §3.1: an allow-list; never "none", never an HMAC that a public key could "sign".
ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256", "PS256"})
# RFC 9068 §2.1 and §4: the header typ must say this is an access token, not an ID token.
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
HEADER_CHECKS = ("format", "typ", "alg", "kid", "signature")


class JWTAccessTokenValidator(JWTBearerTokenValidator):
    """Authlib's RFC 9068 validator, made strict where it is lenient.

    Authlib accepts a missing ``typ``, any algorithm joserfc knows, no leeway, and imports
    whatever key set it is given; here ``typ`` is required, algorithms are allow-listed, the
    key is chosen only by ``kid`` from the issuer's JWKS (``jku``, ``x5u`` and ``jwk`` headers
    are never looked at) and clock skew gets a small leeway.
    """

    accepted_types = ACCESS_TOKEN_TYPES

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
        # The checks verify() makes, in order: what a failure lists as skipped.
        self.plan: tuple[str, ...] = (*HEADER_CHECKS, *self._claims(Verification()).planned())

    def authenticate_token(self, token_string: str) -> dict:
        """Verified claims of the token (Authlib's interface; the record is not kept)."""
        return self.verify(token_string, Verification())

    def verify(self, token_string: str, record: Verification) -> dict:
        """Verified claims of the token, from the cache when possible; each check recorded."""
        hit = self.cache.get(token_string)
        if hit is not None:
            if self.jwks.publishes(hit.kid):
                record.source = "cache"
                record.passed("kid", f"key {hit.kid} still published")
                record.checks.extend(hit.checks)
                return hit.claims
            self.cache.drop(token_string)
        claims, kid = self._verify(token_string, record)
        # Never trusted past exp, even with leeway: the leeway is for clock skew at the edges.
        self.cache.put(token_string, claims, kid, float(claims["exp"]), tuple(record.checks))
        return claims

    def validate_token(self, token: dict, scopes: list[str] | None, request: Any) -> None:
        """Claims were checked in verify; only the scope is left."""
        if self.scope_insufficient(token.get("scope"), scopes):
            raise InsufficientScopeError()

    def _verify(self, token_string: str, record: Verification) -> tuple[dict, str]:
        header = read_header(token_string, record)
        key, kid = self._signing_key(header, record)
        try:
            token = jwt.decode(token_string, key, algorithms=[header["alg"]])
        except (JoseError, ValueError) as exc:
            record.failed("signature", f"does not verify with key {kid}")
            raise invalid_token("the token's signature is not valid") from exc
        record.passed("signature", f"verified with key {kid} ({header['alg']})")
        try:
            self._claims(record).validate(token.claims)
        except ExpiredTokenError as exc:
            raise invalid_token("the token has expired") from exc
        except ClaimError as exc:
            raise invalid_token(f"the token's claims are not valid ({exc.description})") from exc
        return self._accepted(dict(token.claims), record), kid

    def _signing_key(self, header: dict, record: Verification) -> tuple[Key, str]:
        """typ, alg and kid of the header, then the issuer's key with that kid."""
        typ = str(header.get("typ", "")).lower()
        if typ not in self.accepted_types:
            # Name what was expected: an ID token (typ JWT) sent here is the classic mistake.
            expected = " or ".join(sorted(self.accepted_types))
            record.failed("typ", f"{typ or '(none)'}, not an access token's {expected}")
            raise invalid_token(f"the token's typ is {typ or '(none)'}, not {expected}")
        record.passed("typ", typ or "(none), accepted by this provider's profile")
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            record.failed(
                "alg", f"{str(alg)[:20]} is not one of {', '.join(sorted(ALLOWED_ALGORITHMS))}"
            )
            raise invalid_token("the token's signature algorithm is not accepted")
        record.passed("alg", f"{alg} is allowed")
        kid = header.get("kid")
        key = self.jwks.get_key(kid) if isinstance(kid, str) else None
        if key is None or not isinstance(kid, str):
            record.failed("kid", f"{str(kid)[:40]} is not in the issuer's key set")
            raise invalid_token("the token is not signed by a key of the issuer")
        record.passed("kid", f"{kid} is in the issuer's key set")
        return key, kid

    def _claims(self, record: Verification) -> RecordedClaims:
        # iss exact, aud contains us, exp, sub, client_id, iat, jti (Authlib's RFC 9068 set).
        return RecordedClaims(
            record,
            int(self.clock()),
            self.leeway,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.resource_server},
            exp={"essential": True},
            sub={"essential": True},
            client_id={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )

    def _accepted(self, claims: dict, record: Verification) -> dict:
        """RFC 9068 §2.2: client_id and scope are strings (the claim checks passed them)."""
        if not isinstance(claims.get("scope", ""), str) or not isinstance(claims["client_id"], str):
            record.failed("claims", "scope or client_id is not a string")
            raise invalid_token("the token's scope or client_id claim is malformed")
        return claims


def read_header(token_string: str, record: Verification) -> dict:
    """The protected header of a compact JWS, or invalid_token when it is not one."""
    try:
        header = dict(jws.extract_compact(token_string.encode("ascii")).headers())
    except (JoseError, ValueError, UnicodeError) as exc:
        record.failed("format", "not a compact JWS (three base64url parts)")
        raise invalid_token("the token is not a well-formed JWT") from exc
    record.passed("format", "a compact JWS")
    return header


def invalid_token(description: str) -> InvalidTokenError:
    return InvalidTokenError(description=description, realm=REALM)
