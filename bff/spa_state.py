"""What the SPA needs to know at start-up, answered 200 whether or not anyone is signed in.

Asking `/bff/user` (401 when signed out) or `/bff/trainer/status` (404 when the mode is off)
first would put a red error in the browser's console on every page load of a normal visit.
"""

from flask import Blueprint, jsonify

from .auth import current_login
from .current import bff
from .errors import answers_json
from .security import csrf_protected

bp = answers_json(Blueprint("spa_state", __name__))


@bp.get("/bff/state")
@csrf_protected
def state():
    """Is this browser signed in, and is trainer mode on; never a token or a claim."""
    return jsonify(signed_in=current_login() is not None, trainer_mode=bff().config.trainer_mode)
