"""The benchmark's backend: one small answer in the events shape, the same behind every path."""

from flask import Flask, jsonify, request

EVENTS = [
    {
        "id": day,
        "title": f"Event {day}",
        "start": f"2026-12-{day:02}T09:00:00Z",
        "end": f"2026-12-{day:02}T10:00:00Z",
    }  # fmt: skip
    for day in range(1, 4)
]


def create_app() -> Flask:
    """GET /events answers the events and whether a bearer token arrived; nothing is verified."""
    app = Flask(__name__)

    @app.get("/events")
    def events():
        """The same JSON for every caller, so every path does the same work behind the proxy."""
        bearer = request.headers.get("Authorization", "").startswith("Bearer ")
        return jsonify(events=EVENTS, authorization=bearer)

    @app.get("/healthz")
    def healthz():
        """Liveness, for the start-up wait."""
        return jsonify(status="ok")

    return app
