"""Test controls, off unless IDP_TEST_CONTROLS is set: fail or delay the next token
response, and count token-endpoint calls per grant type.

    POST /test/fail-next  {"error": "invalid_grant", "status": 400, "grant_type": "refresh_token",
                           "error_description": "...", "count": 1}
    POST /test/delay      {"seconds": 2, "grant_type": "refresh_token", "count": 1}
    GET  /test/counters   -> {"authorization_code": 1, "refresh_token": 3}
    GET  /test/refresh-tokens?sub=alice  -> {"live": 1, "families": 1}
    POST /test/reset      forget counters, failures and delays

`grant_type` is optional in both (default: any grant type). State is in Redis, so the
controls work across all workers.
"""

from __future__ import annotations

import json
import time

from flask import Blueprint, jsonify, request

from .current import idp

bp = Blueprint("testing", __name__, url_prefix="/test")

ANY = "*"
MAX_DELAY = 30  # seconds: a forgotten delay must not hang a test run for ever


@bp.post("/fail-next")
def fail_next():
    """Make the next token response(s) fail with the given OAuth error."""
    body = request.get_json(silent=True) or request.form
    error = body.get("error", "")
    status = _int(body.get("status"), 401 if error == "invalid_client" else 400)
    if not error or not 400 <= status <= 599:
        return _bad("send an `error` code and, optionally, a 4xx/5xx `status`")
    record = {
        "error": error,
        "status": status,
        "error_description": body.get("error_description", "failure injected by test"),
    }
    for _ in range(_int(body.get("count"), 1)):
        idp().store.push("test-fail", body.get("grant_type") or ANY, record)
    return jsonify({"queued": record}), 201


@bp.post("/delay")
def delay():
    """Make the next token response(s) wait the given number of seconds."""
    body = request.get_json(silent=True) or request.form
    try:
        seconds = float(body.get("seconds", ""))
    except ValueError:
        return _bad("send `seconds` as a number")
    if not 0 <= seconds <= MAX_DELAY:
        return _bad(f"`seconds` must be between 0 and {MAX_DELAY}")
    for _ in range(_int(body.get("count"), 1)):
        idp().store.push("test-delay", body.get("grant_type") or ANY, {"seconds": seconds})
    return jsonify({"queued": {"seconds": seconds}}), 201


@bp.get("/counters")
def counters():
    """Token-endpoint calls per grant type since the last reset."""
    return jsonify({k: int(v) for k, v in idp().store.scan("test-count").items()})


@bp.get("/refresh-tokens")
def refresh_tokens():
    """How many refresh tokens (and token families) are live, for one user or for everyone."""
    sub = request.args.get("sub")
    records = [json.loads(value) for value in idp().store.scan("rt").values() if value]
    live = [record for record in records if sub in (None, record.get("sub"))]
    return jsonify(live=len(live), families=len({record["family"] for record in live}))


@bp.post("/reset")
def reset():
    """Forget counters, queued failures and delays."""
    for kind in ("test-count", "test-fail", "test-delay"):
        idp().store.delete_kind(kind)
    return jsonify({"status": "reset"})


def before_token_response():
    """Count the call, apply a queued delay, and answer a queued failure if any."""
    store = idp().store
    grant_type = request.form.get("grant_type") or "none"
    store.incr("test-count", grant_type)
    pause = store.pop("test-delay", grant_type) or store.pop("test-delay", ANY)
    if pause:
        time.sleep(pause["seconds"])
    failure = store.pop("test-fail", grant_type) or store.pop("test-fail", ANY)
    if failure is None:
        return None
    status = failure.pop("status")
    response = jsonify(failure)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="idp-mock"'
    return response


def _int(value, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _bad(description: str):
    return jsonify({"error": "invalid_request", "error_description": description}), 400
