"""Attack buttons: each runs one attack on the live system and shows the defence that stopped it.

The defences are never switched off: these runners act like an attacker from outside would.
"""

import secrets

from flask import Blueprint, jsonify, make_response, render_template, request, session

from ..current import bff
from ..errors import answers_json
from ..oidc import idp
from ..security import csrf_protected
from .attack_kit import answer_of, result, sign_in_first, signed_in, token_endpoint_post
from .attack_kit import session_cookie as browser_cookie
from .explain import REDACTED, s256
from .recorder import recorder
from .tampering import open_redirect, tampered_token, token_for_another_audience
from .wire import recording_session

bp = answers_json(Blueprint("trainer_attacks", __name__, url_prefix="/bff/trainer/attacks"))
RUNNERS = {
    "id-token-to-api": token_for_another_audience,
    "tampered-token": tampered_token,
    "open-redirect": open_redirect,
}


@bp.post("/<name>")
@csrf_protected
def run(name: str):
    """Run one attack now and return what the defence answered."""
    trace_id, record = signed_in()
    if record is None or trace_id is None:
        return sign_in_first()
    own = {"csrf": csrf, "code-replay": code_replay, "wrong-verifier": arm_wrong_verifier}
    runner = own.get(name) or RUNNERS.get(name)
    if runner is None:
        return jsonify(error="not_found", error_description=f"No attack {name!r}."), 404
    return jsonify(runner(trace_id, record))


def csrf(trace_id: str, record: dict) -> dict:
    """Call the BFF's own /api/events as a cross-site page would: the cookie, but no X-CSRF."""
    url = bff().config.bff_url + "/api/events"
    cookies = browser_cookie()
    http = recording_session("a cross-site page (played by the BFF)", "BFF")
    bare = http.get(url, cookies=cookies, timeout=5)
    forged = http.get(
        url,
        cookies=cookies,
        timeout=5,
        headers={"X-CSRF": "1", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    answer = answer_of(bare) | {"cross_origin": answer_of(forged)}
    stopped = bare.status_code == forged.status_code == 403
    return result(
        trace_id,
        "csrf",
        "cross-site call without X-CSRF",
        "A page on another site can make the browser send its cookie, but not a custom header; "
        "with the header but a foreign Origin, the BFF refuses too.",
        "draft-ietf-oauth-browser-based-apps (BFF: CSRF protection with a custom header)",
        answer,
        stopped,
        [("Browser", "BFF", "GET /api/events, cookie, no X-CSRF"), ("BFF", "Browser", "403")],
        {"url": url, "headers": "Cookie only; then X-CSRF with Origin: https://evil.example"},
        {
            "columns": ["", "The SPA's own call", "Call 1 (no header)", "Call 2 (foreign Origin)"],
            "rows": [
                ["Cookie", "this browser's session", "the same cookie", "the same cookie"],
                ["X-CSRF", "1", "absent", "1"],
                ["Origin", "same origin (or none)", "none", "https://evil.example"],
                ["Sec-Fetch-Site", "same-origin", "none", "cross-site"],
                ["Answer", "200 events", str(bare.status_code), str(forged.status_code)],
            ],
            "stopped_by": {
                "by": "BFF",
                "check": "X-CSRF: 1 required on every API call; a cross-site Origin or "
                "Sec-Fetch-Site refused",
                "detail": f"{answer['error_description']} / "
                f"{answer['cross_origin']['error_description']}",
            },
        },
    )


def code_replay(trace_id: str, record: dict) -> dict:
    """Redeem this session's already used authorization code a second time."""
    used = recorder().store.get(trace_id, "last_code")
    if not used or not used.get("code"):
        return {
            "attack": "code-replay",
            "stopped": None,
            "explanation": "No redeemed code recorded yet: sign in with trainer mode on.",
        }
    data = {
        "grant_type": "authorization_code",
        "code": used["code"],
        "redirect_uri": used["redirect_uri"],
        "code_verifier": used["code_verifier"],
    }
    answer = answer_of(token_endpoint_post(data))
    return result(
        trace_id,
        "code-replay",
        "replaying a used authorization code",
        "A code is single-use: the IdP refuses it (invalid_grant) and revokes every token issued "
        "from it. This session's refresh token is now dead: its next refresh ends the session "
        "(the access token still works at the API until it expires). Sign in again afterwards.",
        "RFC 6749 §4.1.2 and §10.5; RFC 9700 §4.2.4",
        answer,
        answer["status"] == 400 and answer["error"] == "invalid_grant",
        [("BFF", "IdP", "POST /token with the used code"), ("IdP", "BFF", "400 invalid_grant")],
        data | {"client_secret": REDACTED},
        {
            "columns": ["", "At sign-in", "Now (replay)"],
            "rows": [
                ["code", used["code"], used["code"]],
                ["code_verifier", used["code_verifier"], used["code_verifier"]],
                ["client authentication", "the BFF's secret", "the BFF's secret"],
                ["Answer", "200: tokens", f"{answer['status']} {answer['error']}"],
            ],
            "stopped_by": {
                "by": "IdP",
                "check": "an authorization code is redeemed once (RFC 6749 §4.1.2)",
                "detail": answer["error_description"] or "",
            },
        },
    )


def arm_wrong_verifier(trace_id: str, record: dict) -> dict:
    """Arm a one-shot: the next login's code is first redeemed with a wrong PKCE verifier."""
    recorder().store.put(trace_id, "wrong_verifier", True)
    return {
        "attack": "wrong-verifier",
        "armed": True,
        "next": "/bff/login?returnTo=/",
        "explanation": "Armed: a new login starts now; its code will be sent with a wrong "
        "code_verifier. Your current session is kept.",
    }


def wrong_verifier_at_callback(recorder, trace_id: str, flow: dict):
    """Redeem the fresh code with a wrong verifier, show the IdP's answer, keep the old session."""
    state = request.args.get("state", "")
    original = flow.get("code_verifier") or ""
    challenge = recorder.store.get(trace_id, "challenge:" + state) or s256(original)
    wrong = secrets.token_urlsafe(48)
    data = {
        "grant_type": "authorization_code",
        "code": request.args.get("code"),
        "redirect_uri": flow.get("redirect_uri"),
        "code_verifier": wrong,
    }
    answer = answer_of(token_endpoint_post(data))
    idp().framework.clear_state_data(session, state)  # this flow ends here
    outcome = result(
        trace_id,
        "wrong-verifier",
        "a wrong PKCE code_verifier",
        "The IdP hashed the verifier sent, compared it with the code_challenge of the "
        "authorization request, and refused: a stolen code is useless without the verifier. "
        "The IdP spends a code on its first presentation, so this code is now dead even for "
        "the right verifier. Your existing session is untouched.",
        "RFC 7636 §4.6; RFC 9700 §2.1.1",
        answer,
        answer["status"] == 400 and answer["error"] == "invalid_grant",
        [
            ("BFF", "IdP", "POST /token code + wrong code_verifier"),
            ("IdP", "BFF", "400 invalid_grant"),
        ],
        data | {"client_secret": REDACTED},
        {
            "columns": ["", "The flow's own verifier", "Sent (wrong)"],
            "rows": [
                ["code_verifier", original, data["code_verifier"]],
                [
                    "base64url(SHA-256(code_verifier))",
                    s256(original) if original else "",
                    s256(wrong),
                ],
                ["code_challenge stored with the code", challenge, challenge],
                [
                    "hash = challenge?",
                    "yes" if original and s256(original) == challenge else "no",
                    "yes" if s256(wrong) == challenge else "no",
                ],
            ],
            "stopped_by": {
                "by": "IdP",
                "check": "PKCE: base64url(SHA-256(code_verifier)) must equal the code_challenge "
                "of the authorization request",
                "detail": answer["error_description"] or "",
            },
        },
    )
    response = make_response(render_template("trainer_attack.html", result=outcome))
    response.headers["Cache-Control"] = "no-store"
    return response
