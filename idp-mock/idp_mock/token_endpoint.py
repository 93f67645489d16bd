"""The token endpoint: Authlib's grants do the work."""

from __future__ import annotations

from flask import Blueprint

from . import testing
from .current import idp

bp = Blueprint("token", __name__)


@bp.post("/token")
def issue_token():
    """Exchange a grant for tokens (RFC 6749 §3.2); errors are §5.2 JSON."""
    server = idp()
    if server.config.test_controls:
        injected = testing.before_token_response()
        if injected is not None:
            return injected
    return server.create_token_response()
