"""BFF unit fixtures: the real app on a real Redis, with a recording stand-in for its peers.

The stand-in answers as the API and serves a discovery document as the IdP would. It exists
because these tests must see exactly what the BFF sends upstream (which headers, which body);
the real API and IdP are exercised in the integration and end-to-end tiers.
"""

import json
import secrets
import time

import pytest
from flask import Flask, Response, jsonify, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from bff import create_app
from bff.config import Config
from tests.support.http_server import ThreadedServer

IDP_KEY = RSAKey.generate_key(2048, parameters={"kid": "idp-key-1", "use": "sig"})


def recording_api(seen: list, token_failures: list | None = None) -> Flask:
    """An API double that records each request and answers like the real one would.

    It also plays the IdP's token endpoint for refreshes: each answer rotates the refresh token,
    unless `token_failures` holds a (status, error) to answer instead.
    """
    app = Flask("recording_api")
    token_failures = token_failures if token_failures is not None else []

    @app.post("/token")
    def token():
        seen.append({"method": "POST", "path": "/token", "body": request.get_data(as_text=True)})
        if token_failures:
            status, error = token_failures.pop(0)
            return jsonify(error=error, error_description="injected by the test"), status
        count = sum(1 for call in seen if call["path"] == "/token")
        return jsonify(
            access_token=f"refreshed-{count}",
            token_type="Bearer",
            expires_in=300,
            refresh_token=f"refresh-{count + 1}",
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(KeySet([IDP_KEY]).as_dict(private=False))

    @app.get("/.well-known/openid-configuration")
    def discovery():
        issuer = request.host_url.rstrip("/")
        return jsonify(
            issuer=issuer,
            authorization_endpoint=issuer + "/authorize",
            token_endpoint=issuer + "/token",
            jwks_uri=issuer + "/jwks",
            authorization_response_iss_parameter_supported=True,
        )

    @app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def record(path):
        seen.append(
            {
                "method": request.method,
                "path": "/" + path,
                "query": request.args.to_dict(),
                "headers": dict(request.headers),
                "body": request.get_data(as_text=True),
            }
        )
        if path == "slow":
            time.sleep(2)
        token = request.headers.get("Authorization", "")
        if token == "Bearer refused" or request.args.get("refuse_every_token"):
            response = jsonify(error="invalid_token", error_description="Refused by the test.")
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response, 401
        if request.args.get("set_cookie"):  # as a load balancer's stickiness cookie would
            response = jsonify(events=[])
            response.set_cookie("upstream-sticky", request.args["set_cookie"])
            return response
        if path == "challenges":  # two challenges in one answer, as RFC 9110 section 11.6.1 allows
            response = jsonify(error="insufficient_scope", error_description="Two schemes.")
            response.headers.add("WWW-Authenticate", 'Bearer error="insufficient_scope"')
            response.headers.add("WWW-Authenticate", 'DPoP algs="ES256"')
            return response, 403
        if path == "events/done" and request.method == "DELETE":  # 204: no body, no type
            response = Response(status=204)
            del response.headers["Content-Type"]
            return response
        if path == "events/missing":
            return jsonify(error="not_found", error_description="No such event."), 404
        return jsonify(events=[]), 200

    return app


@pytest.fixture
def api_requests():
    """Requests received by the stand-in API, in order."""
    return []


@pytest.fixture
def token_failures():
    """(status, error) answers the stand-in's token endpoint gives before it succeeds again."""
    return []


@pytest.fixture
def api_server(api_requests, token_failures):
    with ThreadedServer(recording_api(api_requests, token_failures)) as server:
        yield server


def make_config(redis_url: str, api_url: str, **overrides) -> Config:
    """A BFF configuration for tests; the stand-in plays both the IdP and the API."""
    values = dict(
        oidc_issuer=api_url,
        client_id="calendar-bff",
        client_secret="s3cret",
        scope="openid calendar:read",
        bff_url="http://localhost:8000",
        api_url=api_url,
        redis_url=redis_url,
        secret_key="test-secret",
    )
    return Config(**(values | overrides))


@pytest.fixture
def app(redis_url, api_server):
    return create_app(make_config(redis_url, api_server.url))


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, token: dict | None = None) -> str:
    """Sign a test client in by storing a login record, as the callback would."""
    token = token or {
        "access_token": "access-token-1",
        "expires_in": 300,
        "refresh_token": "refresh-1",
        "id_token": "id-token-1",
    }
    claims = {"sub": "user-1", "name": "Alice Liddell", "sid": "idp-session-1"}
    with client.session_transaction() as session:
        client.application.extensions["bff"].logins.create(session.sid, token, claims)
        session["login_id"] = session.sid
    return session.sid


def sign_out(client):
    """Follow the SPA's sign-out: read the logout URL from /bff/user, then navigate to it."""
    logout_url = body(client.get("/bff/user", headers=CSRF))["logout_url"]
    return client.get(logout_url)


class Session:
    """The `auth` fixture: signs the test's client in."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, access_token: str = "access-token-1", expires_in: int = 300) -> str:
        return sign_in(
            self.client,
            {
                "access_token": access_token,
                "expires_in": expires_in,
                "refresh_token": "refresh-1",
                "id_token": "id-token-1",
            },
        )


@pytest.fixture
def auth(client):
    return Session(client)


CSRF = {"X-CSRF": "1"}


def body(response) -> dict:
    return json.loads(response.get_data(as_text=True))


@pytest.fixture
def logout_token(api_server):
    """Mint logout tokens as the stand-in IdP; keyword arguments change or drop (None) claims."""

    def mint(header=None, key=IDP_KEY, **changes) -> str:
        claims = {
            "iss": api_server.url,
            "aud": "calendar-bff",
            "iat": int(time.time()),
            "jti": secrets.token_hex(8),
            "sid": "idp-session-1",
            "sub": "user-1",
            "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
        }
        claims = {k: v for k, v in (claims | changes).items() if v is not None}
        header = header or {"alg": "RS256", "typ": "logout+jwt", "kid": IDP_KEY.kid}
        return jwt.encode(header, claims, key)

    return mint
