"""OpenAPI 3 description of the API, served at ``/openapi.json`` and checked against the routes."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .event_schema import openapi_schemas

bp = Blueprint("openapi", __name__)


def _error(description: str) -> dict:
    return {"description": description, "content": _json("Error")}


def _json(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


# RFC 6750 answers shared by every protected operation.
AUTH_ERRORS = {
    "400": _error("Malformed request, e.g. a token in the query string (invalid_request)"),
    "401": _error("No token (no error code) or a bad token (invalid_token)"),
    "403": _error("Missing scope (insufficient_scope) or wrong kind of token (access_denied)"),
    "503": _error("The token issuer cannot be reached (temporarily_unavailable)"),
}


def _operation(summary: str, scope: str | None, responses: dict, **extra: object) -> dict:
    operation = {"summary": summary, "responses": responses, **extra}
    if scope:
        operation["security"] = [{"bearer": [scope]}]
        operation["responses"] = {**AUTH_ERRORS, **responses}
    return operation


def _array_of(name: str, item: str) -> dict:
    items = {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}
    return {"type": "object", "required": [name], "properties": {name: items}}


PATHS = {
    "/healthz": {"get": _operation("Liveness (no token)", None, {"200": {"description": "OK"}})},
    "/openapi.json": {"get": _operation("This document", None, {"200": {"description": "OK"}})},
    "/events": {
        "get": _operation(
            "The caller's own events, earliest first",
            "calendar:read",
            {"200": {"description": "Events", "content": _json("EventList")}},
        ),
        "post": _operation(
            "Create an event for the caller",
            "calendar:write",
            {
                "201": {
                    "description": "Created; Location names the event",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": _json("Event"),
                },
                "400": _error("Bad token request or invalid event (invalid_request)"),
                "413": _error("Body larger than 4 KiB (request_too_large)"),
            },
            requestBody={"required": True, "content": _json("NewEvent")},
        ),
    },
    "/events/{event_id}": {
        "delete": _operation(
            "Delete one of the caller's events",
            "calendar:write",
            {
                "204": {"description": "Deleted"},
                "404": _error("No such event among the caller's own (not_found)"),
            },
            parameters=[
                {"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        )
    },
    "/reminders/upcoming": {
        "get": _operation(
            "Upcoming events of all users (service tokens only)",
            "calendar:reminders",
            {"200": {"description": "Reminders", "content": _json("ReminderList")}},
            parameters=[
                {
                    "name": "within_minutes",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 10080, "default": 60},
                }
            ],
        )
    },
}

SCHEMAS = {
    **openapi_schemas(),  # Event and NewEvent, from event_schema.FIELDS
    "EventList": _array_of("events", "Event"),
    "Reminder": {
        "allOf": [
            {"$ref": "#/components/schemas/Event"},
            {"type": "object", "required": ["sub"], "properties": {"sub": {"type": "string"}}},
        ]
    },
    "ReminderList": _array_of("reminders", "Reminder"),
    "Error": {
        "type": "object",
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    },
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Calendar API",
        "version": "1.0.0",
        "description": "OAuth 2.0 resource server: RFC 9068 JWT bearer tokens, RFC 6750 errors.",
    },
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": SCHEMAS,
    },
}


@bp.get("/openapi.json")
def openapi() -> Response:
    """Serve the OpenAPI 3 document."""
    return jsonify(DOCUMENT)
