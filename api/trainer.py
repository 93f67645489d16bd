"""Trainer mode for the API: a Trainer-Verdict header telling how each token check went.

Registered only when API_TRAINER_MODE=1. It explains the protector's decision, check by check;
it never changes that decision: the status and body stay what the protector answered.
"""

from __future__ import annotations

import json
import time

from flask import Flask, Response, current_app, g, request
from joserfc import jws, jwt
from joserfc.errors import JoseError

from .tokens import ACCESS_TOKEN_TYPES, ALLOWED_ALGORITHMS

HEADER = "Trainer-Verdict"
SKIPPED = "not checked: the signature did not verify"


def init_app(app: Flask) -> None:
    """Add the verdict header to answers of routes that asked for a token."""
    app.after_request(add_verdict)


def add_verdict(response: Response) -> Response:
    """After a protected route: one word per check, for the trainer's flow view."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    protected = g.get("token") is not None or "WWW-Authenticate" in response.headers
    if scheme.lower() == "bearer" and token and (protected or response.status_code == 403):
        verdict = checks(token) | {"scope": scope_result(response)}
        response.headers[HEADER] = json.dumps(verdict, separators=(",", ":"))
    return response


def checks(token: str) -> dict:
    """typ, signature, iss, aud and exp of the token, each "ok" or what was wrong."""
    validator = current_app.extensions["bearer_protector"].get_token_validator("bearer")
    if not hasattr(validator, "jwks"):  # introspection mode: the IdP decided, not a signature
        return {"signature": "introspection: see the answer"}
    try:
        header = dict(jws.extract_compact(token.encode("ascii")).headers())
    except (JoseError, ValueError, UnicodeError):
        return {"signature": "not a well-formed JWT"}
    typ = str(header.get("typ", ""))
    # A provider profile (API_TOKEN_PROFILE) accepts its own typ values, e.g. JWT.
    profile = getattr(validator, "profile", None)
    accepted = profile.header_types if profile else ACCESS_TOKEN_TYPES
    expected = f"a {profile.name} access token typ" if profile else "at+jwt"
    result = {"typ": "ok" if typ.lower() in accepted else f"{typ or 'none'}, not {expected}"}
    key = validator.jwks.get_key(header["kid"]) if isinstance(header.get("kid"), str) else None
    try:
        if header.get("alg") not in ALLOWED_ALGORITHMS or key is None:
            raise JoseError("no allowed algorithm and issuer key")
        claims = jwt.decode(token, key, algorithms=[header["alg"]]).claims
    except (JoseError, ValueError):
        return result | {"signature": "not valid", "iss": SKIPPED, "aud": SKIPPED, "exp": SKIPPED}
    audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
    expired = int(claims.get("exp", 0)) + validator.leeway <= time.time()
    return result | {
        "signature": "ok",
        "iss": "ok" if claims.get("iss") == validator.issuer else f"{claims.get('iss')} unknown",
        "aud": "ok"
        if validator.resource_server in audiences
        else f"{claims.get('aud')}, not {validator.resource_server}",
        "exp": "expired" if expired else "ok",
    }


def scope_result(response: Response) -> str:
    """Whether the token carried the route's scope, read from the protector's decision."""
    if g.get("token") is not None:
        return "ok"
    challenge = response.headers.get("WWW-Authenticate", "")
    if "insufficient_scope" in challenge:
        return "missing " + challenge.rpartition('scope="')[2].rstrip('"')
    if response.status_code == 403:
        return "wrong kind of caller (user vs service token)"
    return "not checked: the token was refused first"
