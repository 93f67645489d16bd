"""Every error as OAuth-shaped JSON, never an HTML page or a stack trace."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

# HTTP status -> the error code a client can branch on.
ERROR_CODES = {
    400: "invalid_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "invalid_request",
}


def json_error(status: int, error: str, description: str) -> tuple[Response, int]:
    """An ``{"error", "error_description"}`` response."""
    return jsonify(error=error, error_description=description), status


def init_app(app: Flask) -> None:
    """Turn Werkzeug's HTML error pages and unexpected exceptions into JSON."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> WerkzeugResponse | tuple[Response, int]:
        if isinstance(exc.response, WerkzeugResponse):  # already shaped (RFC 6750 answers)
            return exc.response
        code = exc.code or 500
        response, status = json_error(code, ERROR_CODES.get(code, "error"), exc.description or "")
        for name, value in exc.get_headers():
            if name.lower() == "allow":
                response.headers[name] = value
        return response, status

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception) -> tuple[Response, int]:
        app.logger.exception("unexpected error")
        return json_error(500, "server_error", "the server could not complete the request")
