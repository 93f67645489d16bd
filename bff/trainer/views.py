"""Trainer endpoints for the SPA: status, this session's timeline, step mode, expire-now."""

import time

from flask import Blueprint, jsonify, request, session

from ..auth import current_login
from ..current import bff
from ..errors import answers_json
from ..logins import handle
from ..security import csrf_protected
from .attack_kit import sign_in_first, signed_in
from .m2m import run_reminder_job
from .recorder import recorder as trainer

bp = Blueprint("trainer", __name__, url_prefix="/bff/trainer", template_folder="templates")
answers_json(bp)
LANES = ["Browser", "BFF", "IdP", "API", "Redis", "Job"]


@bp.get("/status")
@csrf_protected
def status():
    """Trainer mode is on; this session's step mode and access-token expiry."""
    login = current_login()
    record = login.record if login else None
    return jsonify(
        enabled=True,
        lanes=LANES,
        step_mode=trainer().step_mode(),
        signed_in=record is not None,
        access_expires_at=record["access_expires_at"] if record else None,
        refresh_margin=bff().config.refresh_margin_seconds,
        now=time.time(),
    )


@bp.get("/timeline")
@csrf_protected
def timeline():
    """This browser session's recorded events after `after` (tokens included: trainer mode)."""
    trace_id = session.get("trace_id")
    after = request.args.get("after", "0")
    after = int(after) if after.isdigit() else 0
    events = trainer().store.events(trace_id, after) if trace_id else []
    response = jsonify(events=events)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/timeline")
@csrf_protected
def clear_timeline():
    """Start the lesson again: forget this browser session's timeline and raw HTTP."""
    trace_id = session.get("trace_id")
    if trace_id:
        trainer().store.clear(trace_id)
    return jsonify(cleared=True)


@bp.get("/http/<int:seq>")
@csrf_protected
def raw_http(seq: int):
    """The raw HTTP of one timeline event: client secrets and cookies redacted, tokens listed."""
    trace_id = session.get("trace_id")
    exchanges = trainer().store.http(trace_id, seq) if trace_id else []
    response = jsonify(seq=seq, exchanges=exchanges)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.put("/step-mode")
@csrf_protected
def step_mode():
    """Turn step-by-step mode on or off for this browser session."""
    on = bool((request.get_json(silent=True) or {}).get("on"))
    trainer().store.put(trainer().trace_id(), "step_mode", on)
    return jsonify(step_mode=on)


@bp.get("/next-call")
@csrf_protected
def next_call():
    """Should the SPA pause before its next API call? Before the first one, and a refresh."""
    login = current_login()
    if login is None or not trainer().step_mode():
        return jsonify(pause=None)
    login_id, record = login
    trace_id = trainer().trace_id()
    if record["access_expires_at"] - time.time() <= bff().config.refresh_margin_seconds:
        return jsonify(
            pause={
                "title": "Next: this API call makes the BFF refresh the access token",
                "why": "The access token is within its refresh margin. The BFF takes a Redis lock, "
                "redeems the refresh token at the IdP, stores the rotated pair, then calls "
                "the API with the new access token. The browser notices nothing.",
            }
        )
    seen = trainer().store.get(trace_id, "api_call_seen:" + handle(login_id))
    if not seen:
        trainer().store.put(trace_id, "api_call_seen:" + handle(login_id), True)
        return jsonify(
            pause={
                "title": "Next: the first API call of this session",
                "why": "The browser calls the BFF with its cookie and X-CSRF: 1 (no token). The "
                "BFF "
                "looks up the tokens in Redis, adds the access token and forwards the call; "
                "the API verifies the JWT (signature, iss, aud, exp, scope).",
            }
        )
    return jsonify(pause=None)


@bp.post("/expire-now")
@csrf_protected
def expire_now():
    """Mark this session's access token as due, so the next API call refreshes it."""
    login = current_login()
    trace_id, _ = signed_in()
    if login is None:
        return sign_in_first()
    record = bff().logins.mark_access_expired(login.login_id)
    if record is None:
        return sign_in_first()
    trainer().add(
        trace_id,
        {
            "kind": "expire_now",
            "title": "Trainer: access token marked as expired",
            "explanation": "The BFF's note of the expiry changed; the next API call refreshes.",
            "lanes": ["BFF", "Browser", "Redis"],
            "arrows": [
                ["Browser", "BFF", "POST /bff/trainer/expire-now"],
                ["BFF", "Redis", "access_expires_at = now - 1"],
            ],
        },
    )
    return jsonify(access_expires_at=record["access_expires_at"])


@bp.post("/m2m")
@csrf_protected
def m2m():
    """Run the reminder job's client-credentials flow once, in its own lane."""
    trace_id, record = signed_in()
    if record is None:
        return sign_in_first()
    return jsonify(run_reminder_job(trace_id))
