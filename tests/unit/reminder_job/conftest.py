"""Fixtures for the reminder job: the fake issuer and the real API, both over real HTTP."""

import pytest

from api import create_app
from api.config import Config as ApiConfig
from reminder_job.config import Config
from tests.support.http_server import ThreadedServer
from tests.unit.api.fake_issuer import AUDIENCE


@pytest.fixture
def api_url(issuer, tmp_path):
    """The real API on a free port, trusting the fake issuer (tests/unit/conftest.py)."""
    env = {"OIDC_ISSUER": issuer.url, "API_AUDIENCE": AUDIENCE}
    app = create_app(ApiConfig.from_env(env | {"API_DB_PATH": str(tmp_path / "api.sqlite3")}))
    with ThreadedServer(app) as server:
        yield server.url


@pytest.fixture
def config(issuer, api_url):
    # A mapping is the only source: nothing from the process environment or a .env file.
    env = {"OIDC_ISSUER": issuer.url, "API_URL": api_url}
    return Config.from_env(
        env
        | {"REMINDER_CLIENT_ID": "reminder-job", "REMINDER_CLIENT_SECRET": "reminder-job-secret"}
    )
