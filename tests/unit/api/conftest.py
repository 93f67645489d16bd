"""Fixtures for the API's unit tests: a fake issuer over real HTTP and the API under test."""

import pytest

from api import create_app
from api.config import Config

from .fake_issuer import AUDIENCE, FakeIssuer


@pytest.fixture(scope="session")
def issuer_server():
    """One fake issuer for the session; the IdP is a separate service the API only sees by HTTP."""
    server = FakeIssuer().start()
    yield server
    server.stop()


@pytest.fixture
def issuer(issuer_server):
    """The fake issuer with fresh keys and counters for this test."""
    issuer_server.reset()
    return issuer_server


@pytest.fixture
def config(issuer, tmp_path):
    """The API's configuration for a test: the fake issuer and a private database."""
    return Config(issuer=issuer.url, audience=AUDIENCE, db_path=tmp_path / "api.sqlite3")


@pytest.fixture
def app(config):
    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()
