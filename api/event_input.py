"""Validation of a new event's JSON body: every problem named, nothing half-accepted."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

FIELDS = ("title", "start", "end")
MAX_TITLE_LENGTH = 200


class InvalidEvent(ValueError):
    """The body is not a valid event; the message says which field and why."""


def parse_event(body: Any) -> dict[str, str]:
    """Return ``{"title", "start", "end"}`` cleaned and normalized to UTC, or raise."""
    if not isinstance(body, dict):
        raise InvalidEvent("the body must be a JSON object with title, start and end")
    unexpected = sorted(set(body) - set(FIELDS))
    if unexpected:
        raise InvalidEvent(f"unexpected field {unexpected[0]!r}; only title, start, end")
    title = _title(body.get("title"))
    start = _instant(body.get("start"), "start")
    end = _instant(body.get("end"), "end")
    if end <= start:
        raise InvalidEvent("end: must be after start")
    return {"title": title, "start": format_utc(start), "end": format_utc(end)}


def format_utc(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``: sorts as text in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _title(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidEvent("title: required, a string")
    title = value.strip()
    if not 1 <= len(title) <= MAX_TITLE_LENGTH:
        raise InvalidEvent(f"title: must be 1 to {MAX_TITLE_LENGTH} characters")
    # Cc only: format characters such as the zero-width joiner inside emoji are fine.
    if any(unicodedata.category(character) == "Cc" for character in title):
        raise InvalidEvent("title: must not contain control characters")
    return title


def _instant(value: Any, field: str) -> datetime:
    if not isinstance(value, str) or "T" not in value.upper():
        raise InvalidEvent(f"{field}: required, an RFC 3339 date-time such as 2026-01-31T09:00:00Z")
    try:
        # RFC 3339 §5.6 allows a lowercase "t" and "z"; Python's parser does not.
        moment = datetime.fromisoformat(value.upper())
    except ValueError as exc:
        raise InvalidEvent(f"{field}: not a valid RFC 3339 date-time") from exc
    if moment.tzinfo is None:
        raise InvalidEvent(f"{field}: needs a UTC offset or Z")
    try:
        # Seconds are the stored precision, so compare what will be stored.
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError as exc:
        raise InvalidEvent(f"{field}: out of range") from exc
