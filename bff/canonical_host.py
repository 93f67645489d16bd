"""Browsers that open the BFF under another host name are sent to the one in BFF_URL.

`localhost` and `127.0.0.1` are different sites to a browser: a sign-in started on one comes
back (to the registered redirect URI) on the other, without the session cookie, and fails as
"unknown or expired". Redirecting the first page view avoids that before anyone signs in.
"""

from urllib.parse import urlsplit

from flask import Flask, redirect, request
from werkzeug.wrappers import Response


def init_app(app: Flask, bff_url: str) -> None:
    """Redirect a browser's page loads on another host name to BFF_URL's."""
    canonical = urlsplit(bff_url)

    @app.before_request
    def redirect_to_canonical_host() -> Response | None:
        # Only a browser's GET navigation: scripts, health checks and the IdP's back-channel
        # calls reach the BFF by whatever name their network gives it.
        if request.method != "GET" or request.headers.get("Sec-Fetch-Mode") != "navigate":
            return None
        if request.host.split(":")[0] == canonical.hostname:
            return None
        target = f"{canonical.scheme}://{canonical.netloc}{request.full_path.rstrip('?')}"
        return redirect(target, code=302)
