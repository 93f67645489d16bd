"""Pages shared by the interaction views: login form, error page, and their headers."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import Response, make_response, render_template

from .current import idp
from .interaction import Pending, bind_browser


def no_store(response: Response) -> Response:
    """Interaction pages carry CSRF tokens and personal data: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


# Every response, HTML or JSON: no framing anywhere (clickjacking of Allow or Sign out), no
# scripts, styles only from our own stylesheet. No form-action: Chromium applies it to the
# redirect after a form post too, and the consent form ends in a redirect to the client.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
    """CSP with frame-ancestors 'none', plus X-Frame-Options for browsers that predate it."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def interaction_page(pending: Pending, template: str, **context):
    """Save the pending request for this browser and show its page (login or consent)."""
    server = idp()
    key = pending.save(server.store)
    response = make_response(render_template(template, pending=pending, **context))
    return bind_browser(response, pending, key, server.config.issuer.startswith("https:"))


def login_page(pending: Pending, error: str, status: int, username: str = ""):
    """The login form again after a failed attempt, with the username kept."""
    return render_template("login.html", pending=pending, error=error, username=username), status


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
    """The pending request is gone, expired, already used, or its CSRF token does not match."""
    return error_page(
        "invalid_request",
        "This sign-in request has expired or was already used. "
        "Go back to the application and start again.",
    )


def other_browser_page():
    """The form was opened in another browser: someone may be trying to sign you in as them."""
    return error_page(
        "invalid_request",
        "This sign-in form was not opened in this browser, so it was refused. "
        "If you did not just start signing in, someone may have sent you here on purpose. "
        "To sign in, go back to the application and start again.",
        status=403,
    )
