"""One-line explanations of every parameter, token decoding, PKCE and redaction for the trainer."""

import base64
import hashlib
import json
import re

REDACTED = "[redacted]"
SECRET_NAMES = {"client_secret", "password"}

# What each protocol parameter is for, in one line (read aloud by the trainer).
PARAMS = {
    "response_type": "code: ask for an authorization code (the only flow this BFF uses).",
    "client_id": "Which registered application is asking (the BFF, a confidential client).",
    "redirect_uri": "Where the IdP sends the browser back; must match the registration exactly.",
    "scope": "What access is asked for; the user sees these on the consent page.",
    "state": "Random value bound to this browser session; stops CSRF on the callback.",
    "nonce": "Random value the ID token must echo; stops ID-token replay (OIDC Core).",
    "code_challenge": "SHA-256 of the secret code_verifier, base64url: PKCE (RFC 7636).",
    "code_challenge_method": "S256: the only PKCE method allowed (RFC 9700 §2.1.1).",
    "code": "One-time authorization code; worthless without the client secret and verifier.",
    "iss": "Who issued the response (RFC 9207); checked against the IdP we sent the user to.",
    "session_state": "The IdP's session marker (OIDC session management).",
    "grant_type": "Which grant is redeemed at the token endpoint.",
    "code_verifier": "PKCE secret kept in the BFF's session; its hash must equal the challenge.",
    "client_secret": "The BFF's password at the IdP; never leaves the server, never shown.",
    "refresh_token": "Long-lived token that buys new access tokens; kept in Redis only.",
    "access_token": "Short-lived JWT the API checks on every call (RFC 9068).",
    "id_token": "Who signed in, for the BFF only; never sent to an API.",
    "token_type": "Bearer: whoever holds the token may use it, hence it stays server-side.",
    "expires_in": "Seconds until the access token expires.",
    "expires_at": "When the access token expires (epoch seconds).",
    "within_minutes": "How far ahead the reminder job looks for events.",
    "token_endpoint": "Where clients redeem a grant for tokens; learned from discovery (RFC 8414).",
    "end_session_endpoint": "The IdP's logout page (RP-Initiated Logout 1.0); the browser "
    "goes there with id_token_hint to end the IdP session too.",
}


def param_rows(params: dict, why: dict | None = None) -> list[dict]:
    """[{name, value, why}] for each parameter, secrets redacted; `why` overrides PARAMS."""
    why = why or {}
    return [
        {
            "name": name,
            "value": REDACTED if name in SECRET_NAMES else value,
            "why": why.get(name) or PARAMS.get(name, ""),
        }
        for name, value in params.items()
    ]


def b64url_json(part: str) -> dict:
    """Decode one base64url JSON part of a JWT."""
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def decode_jwt(token: str) -> dict | None:
    """Header and claims of a JWT, read without verifying (the verdict comes separately)."""
    try:
        header, claims, _ = token.split(".")
        return {"header": b64url_json(header), "claims": b64url_json(claims)}
    except (ValueError, TypeError):
        return None  # an opaque token (a refresh token is random, not a JWT)


def token_view(name: str, raw: str | None, verdict: str) -> dict | None:
    """A token for the trainer view: raw value, decoded parts when it is a JWT, the verdict."""
    if not raw:
        return None
    decoded = decode_jwt(raw) or {}
    return {"name": name, "raw": raw, "verdict": verdict, **decoded}


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def redact(value, secrets: tuple[str, ...]):
    """Copy of `value` with secret fields and any configured secret string replaced."""
    if isinstance(value, dict):
        return {
            k: REDACTED if k in SECRET_NAMES and v else redact(v, secrets) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, REDACTED)
    return value


def check(name: str, ok: bool, detail: str, why: str = "") -> dict:
    """One visible check: what was compared, and whether it held."""
    return {"name": name, "result": "ok" if ok else "failed", "detail": detail, "why": why}


# The API verifier's outcome of a check → the result class the page colours (never red unless
# the verifier failed that very check).
OUTCOMES = {"passed": "ok", "failed": "failed", "skipped": "skipped"}


def verdict(header: str | None) -> dict:
    """The API's Trainer-Verdict header: {"source", "decision", "checks"}; {} if absent or bad."""
    try:
        parsed = json.loads(header) if header else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def shown_detail(outcome: str, detail: str) -> str:
    """A skipped check's detail names the check that failed first; it must not read "failed"."""
    return re.sub(r"\bfailed\b", "stopped the token", detail) if outcome == "skipped" else detail


def verdict_checks(header: str | None) -> list[dict]:
    """Each check as the API's verifier made it, in its order: name, outcome, detail, why."""
    checks = verdict(header).get("checks")
    return [
        {
            "name": str(item.get("name")),
            "result": OUTCOMES.get(str(item.get("outcome")), "skipped"),
            "outcome": str(item.get("outcome")),
            "detail": shown_detail(str(item.get("outcome")), str(item.get("detail") or "")),
            "why": VERDICT_WHY.get(
                str(item.get("name")), ""
            ),  # unknown names are shown as they are
        }
        for item in (checks if isinstance(checks, list) else [])
        if isinstance(item, dict)
    ]


def verdict_summary(header: str | None) -> dict:
    """Who decided (verified here, from the cache, by introspection) and what."""
    parsed = verdict(header)
    return {key: parsed[key] for key in ("source", "decision") if key in parsed}


VERDICT_WHY = {
    "format": "RFC 7515 §7.1: three base64url parts, a compact JWS.",
    "typ": "RFC 9068 §4: the header says at+jwt, so an ID token cannot pass as an access token.",
    "alg": "RFC 8725 §3.1: only the algorithms this API allows; never none, never HMAC here.",
    "kid": "RFC 7517 §4.5: the key id must name a key the issuer publishes in its JWKS.",
    "signature": "RFC 7515 §5.2: the signature verifies with that published key.",
    "iss": "RFC 9068 §4: issued by exactly the IdP this API trusts.",
    "aud": "RFC 9068 §4: meant for this API (calendar-api), not another audience.",
    "exp": "RFC 9068 §4: not expired (a small leeway for clock skew).",
    "nbf": "RFC 7519 §4.1.5: not used before its time.",
    "iat": "RFC 9068 §2.2: the issue time is present and not in the future.",
    "sub": "RFC 9068 §2.2: names the user (or the client, for a service token).",
    "client_id": "RFC 9068 §2.2: names the client the token was issued to.",
    "jti": "RFC 9068 §2.2: a unique id for the token.",
    "scope": "RFC 6750 §3.1: carries the scope this route needs.",
    "caller": "A user's token on user routes, a service's token on service routes only.",
    "introspection": "RFC 7662: the IdP said whether the token is active.",
}
