"""Service-only route for the reminder job: upcoming events across users (no end user)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, jsonify, request

from .bearer import require_token
from .db import get_db
from .errors import json_error
from .event_input import format_utc
from .event_schema import COLUMNS, from_row, sql_names
from .events import no_store

bp = Blueprint("reminders", __name__)
bp.after_request(no_store)
SELECT_UPCOMING = (
    f"SELECT {sql_names(COLUMNS)} FROM events"  # noqa: S608 (names from event_schema)
    " WHERE start >= ? AND start <= ? ORDER BY start, id"
)

MAX_WITHIN_MINUTES = 7 * 24 * 60


@bp.get("/reminders/upcoming")
@require_token("calendar:reminders", kind="service")
def upcoming() -> Response | tuple[Response, int]:
    """Events of every user starting within the next ``within_minutes`` (default 60)."""
    raw = request.args.get("within_minutes", "60")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WITHIN_MINUTES:
        return json_error(
            400, "invalid_request", f"within_minutes: a whole number from 1 to {MAX_WITHIN_MINUTES}"
        )
    now = datetime.now(UTC)
    rows = get_db().execute(
        SELECT_UPCOMING,
        (format_utc(now), format_utc(now + timedelta(minutes=int(raw)))),
    )
    return jsonify(reminders=[from_row(row) for row in rows])
