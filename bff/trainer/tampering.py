"""Attacks with a token or a URL: wrong audience, tampered payload, open-redirect returnTo."""

import base64
import json
from datetime import UTC, datetime
from typing import cast
from urllib.parse import parse_qs, urlsplit

import requests
from flask import current_app

from ..current import bff
from ..oidc import idp
from ..redis_sessions import RedisSessions
from .attack_kit import answer_of, api_get, result
from .explain import b64url_json, decode_jwt, verdict_checks

EVIL_RETURNS = ("https://evil.example/steal", "//evil.example", "/\\evil.example")


def side_by_side(original: str, presented: str, names: tuple[str, ...]) -> list[list]:
    """Rows [name, original, presented]; "header.typ" is a header field, others are claims."""
    first, second = decode_jwt(original) or {}, decode_jwt(presented) or {}
    rows = []
    for name in names:
        part, _, field = name.rpartition(".")
        part = part or "claims"
        values = [token.get(part, {}).get(field, "") for token in (first, second)]
        rows.append([f"{part} {field}", *map(readable, values)])
    return rows


def readable(value) -> str:
    """A claim as text; epoch seconds also as a UTC time, so the changed exp reads at once."""
    if isinstance(value, int) and value > 10**9:
        return f"{value} ({datetime.fromtimestamp(value, UTC):%Y-%m-%d %H:%M:%S} UTC)"
    return str(value)


def refused_by_api(answer: dict) -> dict:
    """The API's checks that failed, from its verifier's own record: the exact reason."""
    failed = [c for c in verdict_checks(answer.get("verdict")) if c["result"] == "failed"]
    return {
        "by": "API",
        "check": ", ".join(c["name"] for c in failed) or "token validation",
        "detail": "; ".join(f"{c['name']}: {c['detail']}" for c in failed)
        or str(answer.get("error_description") or ""),
    }


def api_check(answer: dict, name: str) -> str:
    """One check of the API's record for a token, as it reads on the page."""
    for item in verdict_checks(answer.get("verdict")):
        if item["name"] == name:
            return f"{item['outcome']}: {item['detail']}" if item["detail"] else item["outcome"]
    return "(no record: is API_TRAINER_MODE on?)"


def token_for_another_audience(trace_id: str, record: dict) -> dict:
    """Present this session's ID token (aud = the BFF, not the API) to the API."""
    answer = answer_of(api_get("/events", record.get("id_token", "")))
    names = ("header.typ", "header.kid", "aud", "iss", "scope", "client_id")
    return result(
        trace_id,
        "id-token-to-api",
        "a token for another audience",
        "The ID token is real and signed by the IdP, but it was issued to the BFF (aud = client "
        "id) and typed JWT, not at+jwt: the API refuses it. See the verdict per check.",
        "RFC 9068 §4 (typ, aud); RFC 8725 §3.11 (explicit typing); OIDC Core §2",
        answer,
        answer["status"] == 401 and answer["error"] == "invalid_token",
        [("BFF", "API", "GET /events + ID token"), ("API", "BFF", "401 invalid_token")],
        {"path": "/events", "token": "this session's id_token"},
        {
            "columns": ["", "Access token (meant for the API)", "ID token (presented)"],
            "rows": side_by_side(record["access_token"], record.get("id_token", ""), names),
            "stopped_by": refused_by_api(answer),
        },
    )


def tampered_token(trace_id: str, record: dict) -> dict:
    """Change the access token's payload (a day more of life), keep the IdP's signature."""
    header, payload, signature = record["access_token"].split(".")
    claims = b64url_json(payload)
    claims["exp"] = int(claims.get("exp", 0)) + 86400
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tampered = f"{header}.{forged}.{signature}"
    original = answer_of(api_get("/events", record["access_token"]))  # the API's word on both
    answer = answer_of(api_get("/events", tampered))
    rows = side_by_side(record["access_token"], tampered, ("header.kid", "exp", "sub", "scope"))
    rows += [
        ["payload (base64url)", payload[:24] + "…", forged[:24] + "…"],
        ["signature", signature[:24] + "…", signature[:24] + "… (unchanged)"],
    ]
    rows += [
        [f"the API's {name} check", api_check(original, name), api_check(answer, name)]
        for name in ("kid", "signature")
    ]
    return result(
        trace_id,
        "tampered-token",
        "a tampered access token (exp pushed a day later)",
        "The payload no longer matches the IdP's signature, so the API refuses the token before "
        "it reads a single claim. Only the IdP's private key can make a valid token.",
        "RFC 9068 §4; RFC 7515 §5.2 (JWS validation); RFC 6750 §3.1",
        answer,
        answer["status"] == 401 and answer["error"] == "invalid_token",
        [("BFF", "API", "GET /events + tampered token"), ("API", "BFF", "401 invalid_token")],
        {"path": "/events", "changed_claim": "exp + 86400", "signature": "unchanged"},
        {
            "columns": ["", "Original access token", "Tampered"],
            "rows": rows,
            "stopped_by": refused_by_api(answer),
        },
    )


def stored_return_to(evil: str) -> tuple[int, str | None]:
    """Start a login with a hostile returnTo; read back where the flow would send the user."""
    sessions, config = cast(RedisSessions, current_app.session_interface), bff().config
    http = requests.Session()
    start = http.get(
        config.bff_url + "/bff/login",
        params={"returnTo": evil},
        allow_redirects=False,
        timeout=5,
    )
    sid = http.cookies.get(config.cookie_name)
    state = parse_qs(urlsplit(start.headers.get("Location", "")).query).get("state", [""])[0]
    store = bff().redis
    key = sessions.key_prefix + (sid or "")
    raw = cast(bytes | None, store.get(key))
    store.delete(key)  # a throw-away session: forget it at once
    saved = sessions.serializer.decode(raw) if raw else {}
    flow = idp().framework.get_state_data(saved, state) if state else None
    return start.status_code, (flow or {}).get("return_to")


def open_redirect(trace_id: str, record: dict) -> dict:
    """Start logins with absolute and protocol-relative returnTo values, read what is kept."""
    seen = {evil: stored_return_to(evil) for evil in EVIL_RETURNS}
    kept = {evil: return_to for evil, (_, return_to) in seen.items()}
    stopped = all(return_to == "/" for return_to in kept.values())
    answer = {
        "status": next(iter(seen.values()))[0],
        "error": None,
        "error_description": "; ".join(f"{e} → {r}" for e, r in kept.items()),
    }
    return result(
        trace_id,
        "open-redirect",
        "an open-redirect returnTo",
        "After sign-in the BFF would send the user to returnTo. It keeps only same-origin "
        'relative paths: every hostile value was stored as "/".',
        "RFC 9700 §4.11 (open redirectors); RFC 6749 §10.15",
        answer,
        stopped,
        [
            ("Browser", "BFF", "GET /bff/login?returnTo=https://evil.example"),
            ("BFF", "Redis", 'flow saved with return_to "/"'),
        ],
        {"tried": list(EVIL_RETURNS), "stored_return_to": kept},
        {
            "columns": ["returnTo asked for", "return_to stored in the flow"],
            "rows": [["/ (a normal sign-in)", "/"]] + [[e, str(r)] for e, r in kept.items()],
            "stopped_by": {
                "by": "BFF",
                "check": "returnTo: only same-origin relative paths are kept, anything else "
                'becomes "/"',
                "detail": answer["error_description"],
            },
        },
    )
