"""Validation of a new event's JSON body: every problem named, nothing half-accepted."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from .event_schema import FIELDS, NAMES, Field


class InvalidEvent(ValueError):
    """The body is not a valid event; the message says which field and why."""


def parse_event(body: Any) -> dict[str, str]:
    """The event's fields (event_schema.FIELDS) cleaned and normalized to UTC, or raise."""
    required = ", ".join(field.name for field in FIELDS if field.required)
    if not isinstance(body, dict):
        raise InvalidEvent(f"the body must be a JSON object with {required}")
    unexpected = sorted(set(body) - set(NAMES))
    if unexpected:
        raise InvalidEvent(f"unexpected field {unexpected[0]!r}; only {', '.join(NAMES)}")
    event: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for field in FIELDS:
        value = body.get(field.name)
        if not field.required and (value is None or (isinstance(value, str) and not value.strip())):
            continue  # an optional field left empty is not set
        if field.kind == "instant":
            moments[field.name] = _instant(value, field.name)
            event[field.name] = format_utc(moments[field.name])
        else:
            event[field.name] = _text(value, field)
    if moments["end"] <= moments["start"]:
        raise InvalidEvent("end: must be after start")
    return event


def format_utc(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``: sorts as text in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any, field: Field) -> str:
    name = field.name
    if not isinstance(value, str):
        raise InvalidEvent(f"{name}: {'required, ' if field.required else ''}a string")
    text = value.strip()
    if not 1 <= len(text) <= field.max_length:
        raise InvalidEvent(f"{name}: must be 1 to {field.max_length} characters")
    # Cc only: format characters such as the zero-width joiner inside emoji are fine.
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise InvalidEvent(f"{name}: must not contain control characters")
    return text


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
