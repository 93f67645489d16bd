"""Liveness check for launchers and container healthchecks."""

from flask import Blueprint, Response, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Answer 200 without authentication while the process serves requests."""
    return jsonify(status="ok")
