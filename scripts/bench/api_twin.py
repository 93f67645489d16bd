"""gunicorn entry point for scripts/bench_api.py: the real API plus a check-free twin route.

The twin lives here, not in the api package, so no setting of the product can ever expose an
unchecked route; the benchmark registers it on the app that ``api.create_app`` built.
"""

from flask import Blueprint, Flask, Response, jsonify

from api import create_app
from api.events import events_of, no_store

BENCH_SUB = "bench-user"
TWIN_PATH = "/bench/events-unchecked"

bp = Blueprint("bench_twin", __name__)
bp.after_request(no_store)  # the same response work as GET /events


@bp.get(TWIN_PATH)
def list_events_unchecked() -> Response:
    """Do what GET /events does for the benchmark's user, minus the token check."""
    return jsonify(events=events_of(BENCH_SUB))


def create_bench_app() -> Flask:
    """The API as configured by the environment, with the twin route added."""
    app = create_app()
    app.register_blueprint(bp)
    return app
