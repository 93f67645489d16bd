"""OpenID Connect Back-Channel Logout 1.0: the IdP tells the BFF which sessions to end."""

import time

import requests
from flask import Blueprint, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from . import signals
from .current import bff
from .errors import answers_json, json_error
from .oidc import idp, metadata
from .rate_limits import limited

bp = answers_json(Blueprint("backchannel", __name__, url_prefix="/bff"))
EVENT = "http://schemas.openid.net/event/backchannel-logout"
ALGORITHMS = ["RS256", "ES256", "PS256"]  # never "none", never an HMAC
MAX_AGE_SECONDS = 300  # an older logout token is refused, and its jti remembered this long
LEEWAY_SECONDS = 60


class LogoutTokenError(Exception):
    """The logout token is not one this BFF may act on."""


def _decode(token: str) -> jwt.Token:
    """Check the signature against the IdP's JWKS, re-fetching it once for a new key."""
    for force in (False, True):
        keys = KeySet.import_key_set(idp().fetch_jwk_set(force=force))
        try:
            return jwt.decode(token, keys, algorithms=ALGORITHMS)
        except JoseError as exc:
            # A key rotated since the last fetch: allow one re-fetch, rate-limited across replicas.
            may_refetch = bff().redis.set("bff:jwks-refetch", 1, nx=True, ex=30)
            if force or not may_refetch:
                raise LogoutTokenError(f"signature not verified ({exc.error})") from exc
    raise AssertionError("unreachable")


def validate_logout_token(token: str) -> dict:
    """Return the claims of a valid logout token, or raise LogoutTokenError saying why."""
    decoded = _decode(token)
    if decoded.header.get("typ", "logout+jwt").lower() not in ("logout+jwt", "jwt"):
        raise LogoutTokenError("wrong typ")
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": metadata()["issuer"]},
        aud={"essential": True, "value": bff().config.client_id},
        iat={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise LogoutTokenError(f"claim check failed ({exc.error})") from exc
    if time.time() - claims["iat"] > MAX_AGE_SECONDS:
        raise LogoutTokenError("too old")
    if not isinstance(claims.get("events"), dict) or not isinstance(
        claims["events"].get(EVENT), dict
    ):
        raise LogoutTokenError("no back-channel logout event")
    if "nonce" in claims:
        raise LogoutTokenError("a logout token must not carry a nonce")
    if not claims.get("sid") and not claims.get("sub"):
        raise LogoutTokenError("neither sid nor sub")
    if not bff().redis.set(f"bff:logout-jti:{claims['jti']}", 1, nx=True, ex=MAX_AGE_SECONDS * 2):
        raise LogoutTokenError("replayed jti")
    return claims


@bp.post("/backchannel-logout")
@limited("backchannel")
def backchannel_logout():
    """Validate the IdP's logout token and delete every matching session."""
    token = request.form.get("logout_token")
    if not token:
        return json_error(400, "invalid_request", "logout_token is required.")
    try:
        claims = validate_logout_token(token)
    except LogoutTokenError as exc:
        return json_error(400, "invalid_request", f"Invalid logout token: {exc}")
    except requests.RequestException:
        # The JWKS could not be fetched: a 5xx tells the IdP to try again later.
        return json_error(503, "temporarily_unavailable", "The IdP's keys could not be fetched.")
    store = bff().logins
    if claims.get("sid"):
        targets = store.of_idp_session(claims["sid"])
    else:
        targets = [login_id for login_id, _, _ in store.of_user(claims["sub"])]
    for login_id in targets:
        record = store.get(login_id)
        if record and (not claims.get("sub") or record.get("sub") == claims["sub"]):
            store.delete(login_id)
            signals.send(signals.backchannel_logout, login_id=login_id, claims=claims)
    return "", 200, {"Cache-Control": "no-store"}
