"""The benchmark's token issuer: discovery, a JWKS and RFC 9068 tokens, on a loopback port.

Only what scripts/bench_api.py needs; the unit tests have their own, richer fake issuer.
"""

from __future__ import annotations

import secrets
import threading
import time

from flask import Flask, jsonify
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from devstack.ports import free_port

AUDIENCE = "calendar-api"


class BenchIssuer:
    """An OpenID Connect discovery document and one signing key, served in a thread."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "bench-1", "use": "sig"})
        self._server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> BenchIssuer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def user_token(self, sub: str, scope: str, lifetime: int = 24 * 3600) -> str:
        """A signed RFC 9068 access token for ``sub`` (client calendar-bff)."""
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": AUDIENCE, "sub": sub, "client_id": "calendar-bff",
            "scope": scope, "iat": now, "nbf": now, "exp": now + lifetime,
            "jti": secrets.token_hex(8),
        }  # fmt: skip
        header = {"alg": "RS256", "typ": "at+jwt", "kid": "bench-1"}
        return jwt.encode(header, claims, self.key, algorithms=["RS256"])

    def _app(self) -> Flask:
        app = Flask("bench_issuer")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=self.url, jwks_uri=self.url + "/jwks")

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])

        return app


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
