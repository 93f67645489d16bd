"""Timeline events of a sign-in: title, lanes, arrows, each value explained, tokens decoded."""

from urllib.parse import parse_qsl, urlsplit

from .explain import REDACTED, check, param_rows, token_view

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
