"""A check-free twin of ``GET /events``, for the benchmark alone (scripts/bench_api.py).

It is registered only when ``Config.unchecked_twin_route`` is set, which ``Config.from_env``
never does: no environment variable can expose it. The benchmark builds its own Config.
"""

from flask import Blueprint, Response, jsonify

from .events import events_of, no_store

bp = Blueprint("bench_twin", __name__)
bp.after_request(no_store)  # the same response work as GET /events

BENCH_SUB = "bench-user"


@bp.get("/bench/events-unchecked")
def list_events_unchecked() -> Response:
    """Do what GET /events does for the benchmark's user, minus the token check."""
    return jsonify(events=events_of(BENCH_SUB))
