"""Pause pages of step-by-step mode: what the BFF is about to do, why, and a Next link."""

from urllib.parse import parse_qsl, urlsplit

from flask import Response, make_response, render_template, request

from .explain import param_rows, s256
from .timeline_store import TimelineStore

# What the BFF is about to do at each pause point, and why (shown on the pause page).
STEPS = {
    "redirect_to_idp": (
        "Next: the BFF sends your browser to the identity provider",
        "The BFF built an authorization request. It kept the state, the nonce and the PKCE "
        "code_verifier in its server-side session; the browser only carries the URL below "
        "(the Location of the BFF's 302 answer) to the IdP.",
    ),
    "token_exchange": (
        "Next: the BFF exchanges the code for tokens",
        "The IdP sent the browser back with a one-time code. The BFF checked state and iss; it "
        "will now POST the code, its code_verifier and its client credentials to the token "
        "endpoint, server to server. The tokens will never reach the browser.",
    ),
}


def last_event(store: TimelineStore, trace_id: str, kind: str) -> dict:
    """The newest event of this kind on the timeline (the one just recorded), or {}."""
    return next((e for e in reversed(store.events(trace_id)) if e.get("kind") == kind), {})


def pause_page(store: TimelineStore, trace_id: str, step: str, next_url: str) -> Response:
    """The pause page of `step`, built from what the timeline just recorded."""
    title, why = STEPS[step]
    checks, sent, pkce = [], [], None
    if step == "redirect_to_idp":
        params = dict(parse_qsl(urlsplit(next_url).query))
        verifier = (last_event(store, trace_id, "authorization_request").get("pkce") or {}).get(
            "verifier"
        )
        pkce = {
            "verifier": verifier,
            "challenge": params.get("code_challenge"),
            "computed": s256(verifier) if verifier else None,
        }
    else:
        params = request.args.to_dict()
        checks = last_event(store, trace_id, "callback").get("checks", [])
        pending = store.get(trace_id, "pending_code") or {}
        sent = param_rows(
            {
                "grant_type": "authorization_code",
                "code": pending.get("code"),
                "redirect_uri": pending.get("redirect_uri"),
                "code_verifier": pending.get("code_verifier"),
                "client_id": pending.get("client_id"),
                "client_secret": "(sent, never shown)",
            }
        )
    page = render_template(
        "trainer_pause.html",
        title=title,
        why=why,
        rows=param_rows(params),
        checks=checks,
        sent=sent,
        pkce=pkce,
        step=step,
        next_url=next_url,
        url=next_url if step == "redirect_to_idp" else None,
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response
