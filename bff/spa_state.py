"""What the SPA needs to know at start-up, answered 200 whether or not anyone is signed in.

Asking `/bff/user` (401 when signed out) or `/bff/trainer/status` (404 when the mode is off)
first would put a red error in the browser's console on every page load of a normal visit.
"""

from flask import Blueprint, current_app, jsonify

from .auth import current_login
from .security import csrf_protected

bp = Blueprint("spa_state", __name__)


@bp.get("/bff/state")
@csrf_protected
def state():
    """Is this browser signed in, and is trainer mode on; never a token or a claim."""
    _, record = current_login()
    trainer = "bff.trainer" in current_app.extensions
    return jsonify(signed_in=record is not None, trainer_mode=trainer)
