"""The API's unit fixtures: the API under test, trusting the fake issuer (../conftest.py)."""

import pytest

from api import create_app
from api.config import Config

from .fake_issuer import AUDIENCE


@pytest.fixture
def config(issuer, tmp_path):
    """The API's configuration for a test: the fake issuer and a private database."""
    return Config.from_env(
        {
            "OIDC_ISSUER": issuer.url,
            "API_AUDIENCE": AUDIENCE,
            "API_DB_PATH": str(tmp_path / "api.sqlite3"),
        }
    )


@pytest.fixture
def app(config):
    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()
