"""Defences shared by the BFF's views: the CSRF header check, safe return paths, page headers."""

from functools import wraps
from urllib.parse import urlsplit

from flask import request

from .current import bff
from .errors import json_error

# The SPA may load only its own files; nothing inline, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def csrf_problem(csrf: str | None, site: str | None, origin: str | None, bff_url: str) -> str:
    """Why a call with these headers could come from a cross-site page ('' when it cannot)."""
    # A custom header cannot be sent cross-site without a CORS preflight, which we never allow.
    if csrf != "1":
        return "Send the header X-CSRF: 1 with this call."
    if site not in (None, "same-origin") or origin not in (None, bff_url):
        return "Cross-site calls are refused."
    return ""


def csrf_protected(view):
    """Refuse calls a cross-site page could make: require `X-CSRF: 1`, check Origin and site."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        headers = request.headers
        problem = csrf_problem(
            headers.get("X-CSRF"),
            headers.get("Sec-Fetch-Site"),
            headers.get("Origin"),
            bff().config.bff_url,
        )
        if problem:
            return json_error(403, "csrf_check_failed", problem)
        return view(*args, **kwargs)

    return wrapper


def safe_return_to(value: str | None) -> str:
    """Accept only a same-origin relative path; anything else becomes "/" (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(ch) < 0x20 or ch == "\\" for ch in value):
        return "/"
    return value
