"""idp-mock unit test fixtures: an app on the private Redis, and a `flow` playing the browser."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from idp_mock import create_app
from idp_mock.config import DEFAULT_CONFIG_FILE, Config
from idp_mock.current import idp
from joserfc import jwt
from joserfc.jwk import KeySet

ISSUER = "http://127.0.0.1:8002"
BFF = "http://localhost:8000"
REDIRECT_URI = f"{BFF}/bff/callback"
BFF_AUTH = ("calendar-bff", "calendar-bff-secret")
SCOPE = "openid profile email offline_access calendar:read calendar:write"


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory) -> Path:
    """One key directory for the session: generating RSA keys per test is slow."""
    return tmp_path_factory.mktemp("idp-keys")


@pytest.fixture
def config(redis_url, keys_dir) -> Config:
    # A mapping is the only source: nothing from the process environment or a .env file.
    env = {"IDP_ISSUER": ISSUER, "REDIS_URL": redis_url, "IDP_KEYS_DIR": str(keys_dir)}
    return Config.from_env(env | {"IDP_CONFIG": str(DEFAULT_CONFIG_FILE)})


@pytest.fixture
def app(config):
    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query(response) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {k: v[0] for k, v in parse_qs(urlsplit(response.location).query).items()}


def hidden_fields(response) -> dict[str, str]:
    html = response.get_data(as_text=True)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def form_action(response) -> str:
    """Where the page's first form posts to, as a browser would read it."""
    found = re.search(r'<form method="post" action="([^"]+)"', response.get_data(as_text=True))
    assert found, "the page has no form"
    return found[1]


class Flow:
    """Drives the IdP's pages like a user would, through the Flask test client."""

    def __init__(self, client):
        self.client = client
        self.verifier, self.challenge = pkce_pair()

    def authorize(self, **overrides):
        params = {
            "response_type": "code",
            "client_id": "calendar-bff",
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPE,
            "state": "st-1",
            "nonce": "n-1",
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return self.client.get(
            "/authorize", query_string={k: v for k, v in params.items() if v is not None}
        )

    def login(self, page, username="alice", password="wonderland"):
        return self.client.post(
            form_action(page),
            data={**hidden_fields(page), "username": username, "password": password},
        )

    def consent(self, page, decision="allow"):
        data = {**hidden_fields(page), "decision": decision}
        return self.client.post(form_action(page), data=data)

    def code(self, **overrides) -> str:
        """Sign in as alice and allow, as far as the IdP asks; return the code."""
        response = self.authorize(**overrides)
        if 'name="password"' in response.text:
            response = self.login(response)
        if ">Allow<" in response.text:
            response = self.consent(response)
        assert response.status_code == 302, response.text
        return query(response)["code"]

    def redeem(self, code, verifier=None, auth=BFF_AUTH, **extra):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier or self.verifier,
        }
        data.update(extra)
        return self.client.post(
            "/token", data={k: v for k, v in data.items() if v is not None}, auth=auth
        )

    def tokens(self, **overrides) -> dict:
        response = self.redeem(self.code(**overrides))
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def flow(client) -> Flow:
    return Flow(client)


@pytest.fixture
def backchannel(app) -> list[tuple[str, dict]]:
    """Back-channel logout POSTs the IdP makes, recorded instead of sent."""
    sent: list[tuple[str, dict]] = []

    def record(url: str, data: dict) -> int:
        sent.append((url, data))
        return 200

    idp(app).backchannel.transport = record
    return sent


def verify(client, token: str) -> jwt.Token:
    """Decode a JWT with the keys the IdP publishes, as a relying party would."""
    keys = KeySet.import_key_set(client.get("/jwks").get_json())
    return jwt.decode(token, keys, algorithms=["RS256"])


def demo_config_text() -> str:
    return Path(DEFAULT_CONFIG_FILE).read_text()
