"""Fixtures for the reminder job: the fake issuer and the real API, both over real HTTP."""

import threading

import pytest
from werkzeug.serving import make_server

from api import create_app
from api.config import Config as ApiConfig
from devstack.ports import free_port
from reminder_job.config import Config
from tests.unit.api.fake_issuer import AUDIENCE, FakeIssuer


@pytest.fixture(scope="session")
def issuer_server():
    """The job finds the token endpoint by discovery, so the issuer must answer HTTP."""
    server = FakeIssuer().start()
    yield server
    server.stop()


@pytest.fixture
def issuer(issuer_server):
    issuer_server.reset()
    return issuer_server


@pytest.fixture
def api_url(issuer, tmp_path):
    """The real API on a free port, trusting the fake issuer."""
    app = create_app(ApiConfig(issuer.url, AUDIENCE, tmp_path / "api.sqlite3"))
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def config(issuer, api_url):
    return Config(
        issuer=issuer.url,
        client_id="reminder-job",
        client_secret="reminder-job-secret",
        api_url=api_url,
    )
