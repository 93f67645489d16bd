"""Error answers: JSON for the SPA's calls, a readable page for navigations, never a trace.

Which one a route gets is declared with the route (`answers_json` or `answers_page` on its
blueprint or view); other paths (no route, a static file) decide by what the caller accepts.
"""

import logging
from typing import TypeVar

import redis
from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from . import logs
from .tokens import IdpUnavailable, LoginExpired

log = logging.getLogger("bff")
RETRY_AFTER_SECONDS = "5"
MARK = "answers_json"
Declared = TypeVar("Declared")


def answers_json(target: Declared) -> Declared:
    """Declare a blueprint, or one view, as called by JavaScript: its errors are JSON."""
    setattr(target, MARK, True)  # functools.wraps carries it through the other decorators
    return target


def answers_page(target: Declared) -> Declared:
    """Declare a blueprint, or one view, as a browser's navigation: its errors are pages."""
    setattr(target, MARK, False)
    return target


def json_error(status: int, error: str, description: str, **extra):
    """An OAuth-shaped JSON error response."""
    response = jsonify(error=error, error_description=description, **extra)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def wants_json() -> bool:
    """Calls from JavaScript get JSON; a person's navigation gets a page."""
    if request.endpoint:  # a route: as it declared (the view first, then its blueprint)
        view = current_app.view_functions.get(request.endpoint)
        blueprint = current_app.blueprints.get(request.blueprint or "")
        declared = getattr(view, MARK, getattr(blueprint, MARK, None))
        if declared is not None:
            return declared
    # Undeclared: the SPA's calls carry X-CSRF and ask for JSON; a browser asks for HTML.
    return "X-CSRF" in request.headers or request.accept_mimetypes.best == "application/json"


def error_page(status: int, title: str, message: str):
    """A small HTML page for errors met during a navigation (login, callback)."""
    response = make_response(render_template("error.html", title=title, message=message), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def session_store_down(exc: Exception):
    """Redis is unreachable: say so and ask to retry; never log the user out or lose a POST."""
    # An expected fault: one line, no traceback (an outage must not bury the logs).
    logs.event("session_store_unreachable", "fault", error=type(exc).__name__)
    if wants_json():
        response = json_error(
            503, "temporarily_unavailable", "The session store is unreachable; retry shortly."
        )
    else:
        response = error_page(
            503,
            "Temporarily unavailable",
            "The session store is unreachable. Please retry in a few seconds.",
        )
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the handlers: Redis down → 503, HTTP errors shaped, anything else a plain 500."""

    @app.errorhandler(redis.RedisError)
    def redis_error(exc):
        return session_store_down(exc)

    @app.errorhandler(LoginExpired)
    def login_expired(_exc):
        return json_error(401, "login_required", "The session has ended.", login_url="/bff/login")

    @app.errorhandler(IdpUnavailable)
    def idp_unavailable(exc):
        cause = type(exc.__cause__ or exc).__name__
        logs.event("idp_unreachable", "fault", during="refresh", error=cause)
        response = json_error(
            503, "temporarily_unavailable", "The identity provider is unreachable; retry shortly."
        )
        response.headers["Retry-After"] = RETRY_AFTER_SECONDS
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError) and isinstance(
            exc.original_exception, redis.RedisError
        ):
            # Raised while Flask-Session opened or saved the session, outside the view.
            return session_store_down(exc.original_exception)
        if isinstance(exc, InternalServerError):
            log.error("unhandled error", exc_info=exc.original_exception)
        status, description = exc.code or 500, exc.description or ""
        if wants_json():
            code = "server_error" if status >= 500 else "invalid_request"
            return json_error(status, code, description)
        return error_page(status, exc.name, description)
