"""Timeline events after sign-in: refreshes, API calls and verdicts, logout, back-channel."""

from .explain import REDACTED, param_rows, verdict_checks, verdict_summary
from .signin_steps import event, tokens_of


def refresh_request(d: dict) -> list[dict]:
    params = {
        "grant_type": "refresh_token",
        "refresh_token": d["refresh_token"],
        "client_secret": REDACTED,
    }
    return [
        event(
            "refresh_request",
            "Refresh: the access token is near expiry",
            "One refresh per session across all BFF processes (Redis lock), then the call goes on.",
            [
                ("BFF", "Redis", "take the refresh lock"),
                ("BFF", "IdP", "POST /token refresh_token"),
            ],
            params=param_rows(params),
        )
    ]


def refresh_response(d: dict) -> list[dict]:
    return [
        event(
            "refresh_response",
            "Refresh response: new access token, rotated refresh token",
            "The old refresh token is dead now; reusing it revokes the family (RFC 9700 §4.14).",
            [("IdP", "BFF", "200 new tokens"), ("BFF", "Redis", "store rotated tokens")],
            tokens=tokens_of(d["token"]),
        )
    ]


def api_call(d: dict) -> list[dict]:
    checks = verdict_checks(d.get("verdict"))
    return [
        event(
            "api_call",
            f"API call: {d['method']} {d['path']} → {d['status']}",
            "The BFF adds the access token; the API verifies it locally against the IdP's JWKS.",
            [
                ("Browser", "BFF", f"{d['method']} /api{d['path']} (cookie, X-CSRF)"),
                ("BFF", "API", f"{d['method']} {d['path']} + access token"),
                ("API", "BFF", f"{d['status']}"),
                ("BFF", "Browser", f"{d['status']} JSON, no token"),
            ],
            checks=checks,
            api_verdict=verdict_summary(d.get("verdict")),
        )
    ]


def logout(d: dict) -> list[dict]:
    arrows = [("Browser", "BFF", "GET /bff/logout?sid=…")]
    if d.get("revoked"):
        arrows.append(("BFF", "IdP", "revoke refresh token (RFC 7009)"))
    arrows.append(("BFF", "Redis", "delete the login"))
    if d.get("end_session"):
        arrows += [
            ("BFF", "Browser", "go to end_session_endpoint"),
            ("Browser", "IdP", "end the IdP session (id_token_hint)"),
        ]
    return [
        event(
            "logout",
            "Logout: revoke, forget, end the IdP session too",
            "Without the IdP step the user would be signed straight back in.",
            arrows,
            params=param_rows({"end_session_endpoint": d.get("end_session")}),
        )
    ]


def backchannel_logout(d: dict) -> list[dict]:
    claims = {
        "name": "logout_token",
        "raw": "",
        "claims": d["claims"],
        "verdict": "ok: signature, iss, aud, iat, events, no nonce, jti not replayed",
    }
    return [
        event(
            "backchannel_logout",
            "Back-channel logout: the IdP ends this session",
            "A signed logout_token names the IdP session (sid); the BFF deletes its logins.",
            [
                ("IdP", "BFF", "POST /bff/backchannel-logout"),
                ("BFF", "Redis", "delete sessions of sid"),
            ],
            tokens=[claims],
        )
    ]
