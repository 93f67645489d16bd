"""Defences shared by the BFF's views: the CSRF header check and safe return paths."""

from functools import wraps
from urllib.parse import urlsplit

from flask import request

from .current import bff
from .errors import json_error


def csrf_protected(view):
    """Refuse calls a cross-site page could make: require `X-CSRF: 1`, check Origin and site."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        # A custom header cannot be sent cross-site without a CORS preflight, which we never allow.
        if request.headers.get("X-CSRF") != "1":
            return json_error(403, "csrf_check_failed", "Send the header X-CSRF: 1 with this call.")
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site not in (None, "same-origin") or origin not in (None, bff().config.bff_url):
            return json_error(403, "csrf_check_failed", "Cross-site calls are refused.")
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
