"""The signed-in user's own calendar events, isolated by the token's ``sub``."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, g, jsonify, request, url_for

from .bearer import require_token
from .db import get_db
from .errors import json_error
from .event_input import InvalidEvent, parse_event
from .event_schema import COLUMNS, NAMES, from_row, sql_names

bp = Blueprint("events", __name__)
# S608: column names come from event_schema, never from a request; values are parameters.
PLACEHOLDERS = ", ".join("?" * len(COLUMNS))
INSERT = f"INSERT INTO events ({sql_names(COLUMNS)}) VALUES ({PLACEHOLDERS})"  # noqa: S608
SELECT = f"SELECT {sql_names(('id', *NAMES))} FROM events WHERE sub = ?"  # noqa: S608


@bp.after_request
def no_store(response: Response) -> Response:
    """A user's calendar must not stay in a shared cache or the browser's back/forward cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/events")
@require_token("calendar:read")
def list_events() -> Response:
    """List the caller's events, earliest first."""
    return jsonify(events=events_of(g.token["sub"]))


@bp.post("/events")
@require_token("calendar:write")
def create_event() -> tuple[Response, int] | tuple[Response, int, dict[str, str]]:
    """Store a new event for the caller."""
    try:
        event = parse_event(request.get_json(silent=True))
    except InvalidEvent as exc:
        return json_error(400, "invalid_request", str(exc))
    event = {"id": secrets.token_urlsafe(12), **event}
    row = {**event, "sub": g.token["sub"]}
    db = get_db()
    with db:
        db.execute(INSERT, [row.get(name) for name in COLUMNS])
    location = url_for("events.delete_event", event_id=event["id"])
    return jsonify(event), 201, {"Location": location}


@bp.delete("/events/<event_id>")
@require_token("calendar:write")
def delete_event(event_id: str) -> Response | tuple[Response, int]:
    """Delete one of the caller's events; another user's event looks exactly like none."""
    db = get_db()
    with db:
        deleted = db.execute(
            "DELETE FROM events WHERE id = ? AND sub = ?", (event_id, g.token["sub"])
        ).rowcount
    if not deleted:
        return json_error(404, "not_found", "no such event")
    return Response(status=204)


def events_of(sub: str) -> list[dict[str, str]]:
    """Events owned by ``sub``, sorted by start."""
    rows = get_db().execute(SELECT + " ORDER BY start, id", (sub,))
    return [from_row(row) for row in rows]
