"""Pages shared by the interaction views: login form, error page, and their headers."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import Response, render_template

from .current import idp
from .pending import Pending


def no_store(response: Response) -> Response:
    """Interaction pages carry CSRF tokens and personal data: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def login_page(pending: Pending, error: str | None = None, status: int = 200):
    """The login form for a pending request (status 401 after a failed attempt)."""
    return render_template("login.html", pending=pending, error=error), status


def error_response(error: OAuth2Error):
    """Redirect errors to the client when its redirect URI is trusted, else show them."""
    if not error.redirect_uri:
        return error_page(error.error, error.description)
    server = idp()
    return server.with_iss(server.handle_error_response(None, error))


def error_page(error: str, description: str, status: int = 400):
    """An HTML error shown to the user when redirecting to the client is not safe."""
    return render_template("error.html", error=error, description=description), status


def expired_page():
    """The pending request is gone, expired, or its CSRF token does not match."""
    return error_page(
        "invalid_request",
        "This sign-in request has expired or is not valid. "
        "Go back to the application and start again.",
    )
