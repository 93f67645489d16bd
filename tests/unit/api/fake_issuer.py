"""A tiny but real OAuth issuer over HTTP for unit tests of the API and the reminder job.

It exists because the IdP is outside the API: the API must find it by discovery and fetch its
keys over HTTP, and the attack tests must hold the signing keys to forge tokens. It serves
discovery, a JWKS, a client-credentials token endpoint and an RFC 7662 introspection endpoint,
and counts every request so tests can assert how often the API and the job call it.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import Counter

from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.jwk import ECKey, Key, KeyParameters, RSAKey
from werkzeug.serving import make_server

from devstack.ports import free_port

AUDIENCE = "calendar-api"
API_CLIENT = ("calendar-api", "calendar-api-secret")
SERVICE_CLIENTS = {"reminder-job": "reminder-job-secret"}


class FakeIssuer:
    """Discovery, JWKS, token and introspection endpoints on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.reset()

    def start(self) -> FakeIssuer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        """Fresh keys, counters and opaque tokens, so tests cannot see each other."""
        self.keys: dict[str, Key] = {}
        self.signing_kid = self.add_key()
        self.hits: Counter[str] = Counter()
        self.token_requests: list[dict[str, str]] = []  # form fields (the secret is in Basic)
        self.opaque: dict[str, dict] = {}
        self.token_lifetime = 300
        self.service_audience = AUDIENCE
        self.odd_jwks_entries: list[dict] = []
        # The issuer identifier; some real ones (Auth0) end with "/", unlike self.url.
        self.identifier = self.url

    # -- keys -------------------------------------------------------------------------------

    def add_key(self, kind: str = "RSA") -> str:
        """Publish a new signing key and return its kid (it does not sign until rotate())."""
        kid = f"{kind.lower()}-{secrets.token_hex(4)}"
        params: KeyParameters = {"kid": kid, "use": "sig"}
        key: ECKey | RSAKey
        if kind == "EC":
            key = ECKey.generate_key("P-256", parameters=params)
        else:
            key = RSAKey.generate_key(2048, parameters=params)
        self.keys[kid] = key
        return kid

    def rotate(self) -> str:
        """Publish a new key and sign with it from now on (the old key stays published)."""
        self.signing_kid = self.add_key()
        return self.signing_kid

    def retire(self, kid: str) -> None:
        """Stop publishing a key."""
        del self.keys[kid]

    # -- tokens -----------------------------------------------------------------------------

    def claims(self, **overrides: object) -> dict:
        """Valid RFC 9068 claims for alice's BFF session, with overrides (None removes)."""
        now = int(time.time())
        claims = {
            "iss": self.identifier,
            "aud": AUDIENCE,
            "sub": "alice",
            "client_id": "calendar-bff",
            "scope": "openid calendar:read calendar:write",
            "iat": now,
            "nbf": now,
            "exp": now + self.token_lifetime,
            "jti": secrets.token_hex(8),
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def mint(self, header: dict | None = None, key: Key | None = None, **claims: object) -> str:
        """A signed JWT access token; header and key may be overridden to forge one."""
        kid = self.signing_kid
        alg = "ES256" if kid.startswith("ec-") else "RS256"
        full_header = {"alg": alg, "typ": "at+jwt", "kid": kid, **(header or {})}
        full_header = {name: value for name, value in full_header.items() if value is not None}
        return jwt.encode(
            full_header,
            self.claims(**claims),
            key or self.keys[kid],
            algorithms=[full_header["alg"]],
        )

    def user_token(self, sub: str = "alice", scope: str = "calendar:read calendar:write") -> str:
        return self.mint(sub=sub, scope=scope)

    def service_token(self, client_id: str = "reminder-job", scope: str = "calendar:reminders"):
        return self.mint(sub=client_id, client_id=client_id, scope=scope, aud=self.service_audience)

    def opaque_token(self, active: bool = True, **claims: object) -> str:
        """An opaque token the introspection endpoint will describe with these claims."""
        token = secrets.token_urlsafe(24)
        self.opaque[token] = {"active": active, "token_type": "Bearer", **self.claims(**claims)}
        return token

    # -- HTTP -------------------------------------------------------------------------------

    def _app(self) -> Flask:
        app = Flask("fake_issuer")

        @app.before_request
        def count() -> None:
            self.hits[request.path] += 1

        # Provider-shaped issuers have a path (/realms/demo, /oauth2/default, /<tenant>/v2.0).
        @app.get("/.well-known/openid-configuration")
        @app.get("/<path:prefix>/.well-known/openid-configuration")
        def discovery(prefix: str = ""):
            return jsonify(
                issuer=self.identifier,
                jwks_uri=self.url + "/jwks",
                token_endpoint=self.url + "/token",
                introspection_endpoint=self.url + "/introspect",
                grant_types_supported=["client_credentials"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @app.get("/jwks")
        def jwks():
            keys = [key.as_dict(private=False) for key in self.keys.values()]
            return jsonify(keys=self.odd_jwks_entries + keys)

        @app.post("/token")
        def token():
            auth = request.authorization
            if not auth or SERVICE_CLIENTS.get(auth.username) != auth.password:
                return jsonify(error="invalid_client"), 401
            self.token_requests.append(request.form.to_dict())
            if request.form.get("grant_type") != "client_credentials":
                return jsonify(error="unsupported_grant_type"), 400
            access_token = self.service_token(auth.username, request.form.get("scope", ""))
            return jsonify(
                access_token=access_token,
                token_type="Bearer",
                expires_in=self.token_lifetime,
                scope=request.form.get("scope", ""),
            )

        @app.post("/introspect")
        def introspect():
            auth = request.authorization
            if not auth or (auth.username, auth.password) != API_CLIENT:
                return jsonify(error="invalid_client"), 401
            answer = self.opaque.get(request.form.get("token", ""), {"active": False})
            if answer["active"] and answer["exp"] <= time.time():
                answer = {"active": False}
            return jsonify(answer if answer["active"] else {"active": False})

        return app


def forge(header: dict, claims: dict, signature: bytes = b"") -> str:
    """A compact JWS assembled by hand, for tokens no honest library would produce."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(signature)}"


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
