"""The calendar event, defined once: validation, the OpenAPI document and storage read it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Field:
    """One field of an event as a client sends it and as the API stores and returns it."""

    name: str
    kind: Literal["text", "instant"]  # free text, or an RFC 3339 date-time stored in UTC
    required: bool
    description: str
    example: str
    max_length: int = 200  # text only


FIELDS = (
    Field("title", "text", True, "What the event is", "Dentist"),
    Field("start", "instant", True, "When it starts, RFC 3339", "2026-12-01T09:00:00Z"),
    Field("end", "instant", True, "When it ends, after start", "2026-12-01T10:00:00Z"),
    Field("location", "text", False, "Where it takes place (optional)", "Main Street 1"),
)
NAMES = tuple(field.name for field in FIELDS)
# Every stored column: the event's id, its owner's sub, then the fields.
COLUMNS = ("id", "sub", *NAMES)


def sql_names(names: tuple[str, ...]) -> str:
    """Column names for SQL, quoted: "end" is an SQL keyword."""
    return ", ".join(f'"{name}"' for name in names)


def from_row(row: sqlite3.Row) -> dict[str, str]:
    """An event as the API answers it: optional fields that are not set are left out."""
    return {name: value for name, value in dict(row).items() if value is not None}


def openapi_schemas() -> dict[str, dict]:
    """The Event and NewEvent schemas of the OpenAPI document."""
    properties = {field.name: _property(field) for field in FIELDS}
    required = [field.name for field in FIELDS if field.required]
    return {
        "Event": {
            "type": "object",
            "required": ["id", *required],
            "properties": {"id": {"type": "string"}, **properties},
        },
        "NewEvent": {
            "type": "object",
            "required": required,
            "additionalProperties": False,
            "properties": properties,
        },
    }


def _property(field: Field) -> dict:
    schema: dict = {"type": "string", "description": field.description, "example": field.example}
    if field.kind == "instant":
        schema["format"] = "date-time"
    else:
        schema |= {"minLength": 1 if field.required else 0, "maxLength": field.max_length}
    return schema
