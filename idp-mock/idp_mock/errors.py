"""Error answers shaped by the kind of route: JSON for protocol endpoints, HTML for pages.

Protocol endpoints (token, userinfo, discovery, ...) answer RFC 6749 §5.2 JSON; a blueprint of
pages a person reads (login, consent, logout, connected apps) is a `PageBlueprint` and gets the
error page. A new blueprint is a protocol one unless it says otherwise: nothing to edit here.
"""

from __future__ import annotations

import redis
from authlib.oauth2.rfc6749.errors import InsecureTransportError
from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound


class PageBlueprint(Blueprint):
    """A blueprint of interaction pages: its errors are shown to people as an HTML page."""


def register(app: Flask) -> None:
    """Answer routing errors, a Redis outage and plain http in the shape the route needs."""
    app.register_error_handler(NotFound, _http_error("not_found"))
    app.register_error_handler(MethodNotAllowed, _http_error("invalid_request"))
    app.register_error_handler(redis.RedisError, _redis_down)
    app.register_error_handler(InsecureTransportError, _insecure_transport)


def is_page_route() -> bool:
    """Does this request belong to a page blueprint (also when its method was not allowed)?"""
    name = request.blueprint
    exc = request.routing_exception
    if name is None and isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        adapter = current_app.create_url_adapter(request)
        if adapter is not None:
            rule, _ = adapter.match(method=next(iter(exc.valid_methods)), return_rule=True)
            name = rule.endpoint.rpartition(".")[0] or None
    return isinstance(current_app.blueprints.get(name or ""), PageBlueprint)


def answer(error: str, description: str, status: int, headers: dict | None = None):
    """An OAuth-shaped JSON error, or the error page on an interaction page's route."""
    headers = {"Cache-Control": "no-store", **(headers or {})}
    if is_page_route():
        page = render_template("error.html", error=error, description=description)
        return page, status, headers
    return jsonify({"error": error, "error_description": description}), status, headers


def _http_error(error: str):
    def handler(exc: HTTPException):
        headers = dict(exc.get_headers()) if isinstance(exc, MethodNotAllowed) else {}
        headers.pop("Content-Type", None)
        return answer(error, exc.description or "", exc.code or 400, headers)

    return handler


def _redis_down(exc):
    # All state is in Redis: without it the IdP cannot answer, but it says so clearly.
    return answer("temporarily_unavailable", "state store unreachable", 503, {"Retry-After": "1"})


def _insecure_transport(exc):
    # Authlib refuses plain http except on loopback hosts.
    description = (
        "plain http is only allowed on localhost/127.0.0.1; use https, "
        "or set AUTHLIB_INSECURE_TRANSPORT=1 for a local demo network"
    )
    return answer("insecure_transport", description, 400)
