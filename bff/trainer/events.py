"""Turn each traced protocol step into timeline events: title, lanes, arrows, explained values."""

from urllib.parse import parse_qsl, urlsplit

from .explain import REDACTED, check, param_rows, token_view, verdict_checks

ID_TOKEN_VERDICT = "ok: checked by the BFF (signature from JWKS, iss, aud, exp, iat, nonce)"  # noqa: S105
ACCESS_TOKEN_VERDICT = "the API checks it on every call: see the API call's verdict"  # noqa: S105
OPAQUE = "opaque: only the IdP can read it"


def event(kind: str, title: str, explanation: str, arrows: list, **parts) -> dict:
    """One timeline event; lanes are those its arrows touch."""
    lanes = sorted({lane for arrow in arrows for lane in arrow[:2]})
    return {
        "kind": kind,
        "title": title,
        "explanation": explanation,
        "lanes": lanes,
        "arrows": [list(a) for a in arrows],
        **{k: v for k, v in parts.items() if v},
    }


def authorization_request(d: dict) -> list[dict]:
    params = dict(parse_qsl(urlsplit(d["url"]).query))
    pkce = {"verifier": d.get("code_verifier"), "challenge": params.get("code_challenge")}
    return [
        event(
            "authorization_request",
            "Authorization request: the BFF sends the browser to the IdP",
            "State, nonce and the PKCE verifier stay in the BFF's session; only the hash leaves.",
            [
                ("Browser", "BFF", "GET /bff/login"),
                ("BFF", "Redis", "save state, nonce, verifier"),
                ("BFF", "Browser", "302 to the IdP"),
                ("Browser", "IdP", "GET /authorize?…"),
            ],
            url=d["url"].split("?")[0],
            params=param_rows(params),
            pkce=pkce,
        )
    ]


def callback(d: dict) -> list[dict]:
    params = {k: v for k, v in d["params"].items() if k != "trainer_continue"}
    checks = [
        check(
            "state",
            params.get("state") == d["expected_state"],
            f"returned {params.get('state')} = stored {d['expected_state']}",
            "The flow is found by its state in this browser's session, or refused.",
        ),
        check(
            "iss",
            params.get("iss") == d["expected_iss"],
            f"returned {params.get('iss')} = expected {d['expected_iss']}",
            "RFC 9207 mix-up defence: the code must come from the IdP we chose.",
        ),
    ]
    return [
        event(
            "callback",
            "Callback: the IdP sends the browser back with a code",
            "The BFF compares state and iss before it does anything with the code.",
            [
                ("Browser", "IdP", "sign in + consent"),
                ("IdP", "Browser", "302 to /bff/callback"),
                ("Browser", "BFF", "GET /bff/callback?code&state&iss"),
                ("BFF", "Redis", "find the flow by state"),
            ],
            params=param_rows(params),
            checks=checks,
        )
    ]


def token_request(d: dict) -> list[dict]:
    params = {
        "grant_type": "authorization_code",
        "code": d.get("code"),
        "redirect_uri": d.get("redirect_uri"),
        "code_verifier": d.get("code_verifier"),
        "client_id": d.get("client_id"),
        "client_secret": REDACTED,
    }
    return [
        event(
            "token_request",
            "Token request: the BFF redeems the code (back channel)",
            "Server to server, authenticated with the client secret (HTTP Basic) and the verifier.",
            [("BFF", "IdP", "POST /token code + code_verifier")],
            params=param_rows(params),
            pkce={"verifier": d.get("code_verifier"), "challenge": d.get("code_challenge")},
        )
    ]


def tokens_of(token: dict) -> list[dict]:
    views = [
        token_view("access_token", token.get("access_token"), ACCESS_TOKEN_VERDICT),
        token_view("id_token", token.get("id_token"), ID_TOKEN_VERDICT),
        token_view("refresh_token", token.get("refresh_token"), OPAQUE),
    ]
    return [view for view in views if view]


def token_response(d: dict) -> list[dict]:
    token = d["token"]
    shown = {k: token[k] for k in ("token_type", "expires_in", "scope") if k in token}
    return [
        event(
            "token_response",
            "Token response: access, ID and refresh tokens, kept in Redis",
            "The browser gets only a new session cookie (new id: session fixation defence).",
            [
                ("IdP", "BFF", "200 tokens (no-store)"),
                ("BFF", "Redis", "store tokens by login id"),
                ("BFF", "Browser", "302 + new session cookie"),
            ],
            params=param_rows(shown),
            tokens=tokens_of(token),
        )
    ]


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
        )
    ]


def logout(d: dict) -> list[dict]:
    arrows = [("Browser", "BFF", "POST /bff/logout")]
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


BUILDERS = {
    f.__name__: f
    for f in (
        authorization_request,
        callback,
        token_request,
        token_response,
        refresh_request,
        refresh_response,
        api_call,
        logout,
        backchannel_logout,
    )
}


def build(kind: str, data: dict) -> list[dict]:
    """Timeline events for one traced step; unknown kinds are shown as they came."""
    builder = BUILDERS.get(kind)
    if builder:
        return builder(data)
    return [
        event(
            kind,
            data.pop("title", kind),
            data.pop("explanation", ""),
            data.pop("arrows", []),
            **data,
        )
    ]
