"""A user's active sessions: list them (device, created, last seen) and end any of them."""

from flask import Blueprint, jsonify

from .auth import current_login, login_required_error
from .current import bff
from .errors import answers_json, json_error
from .logins import handle
from .security import csrf_protected
from .tokens import IdpUnavailable, revoke_refresh_token

bp = answers_json(Blueprint("sessions", __name__, url_prefix="/bff/sessions"))


@bp.get("")
@csrf_protected
def list_sessions():
    """Every live session of the signed-in user, this one marked `current`."""
    signed_in = current_login()
    if signed_in is None:
        return login_required_error()
    login_id, record = signed_in
    sessions = [
        {
            "id": handle(other_id),
            "device": other["device"],
            "created_at": other["created_at"],
            "last_seen": seen,
            "current": other_id == login_id,
        }
        for other_id, other, seen in bff().logins.of_user(record["sub"])
    ]
    return jsonify(sessions=sessions)


@bp.delete("/<session_id>")
@csrf_protected
def end_session(session_id: str):
    """End one of the user's sessions: revoke its refresh token and forget it."""
    signed_in = current_login()
    if signed_in is None:
        return login_required_error()
    for other_id, other, _seen in bff().logins.of_user(signed_in.record["sub"]):
        if handle(other_id) == session_id:
            try:
                revoke_refresh_token(other)
            except IdpUnavailable:
                return json_error(502, "idp_unavailable", "The identity provider is unreachable.")
            bff().logins.delete(other_id)
            return "", 204
    return json_error(404, "not_found", "No such session of yours.")
