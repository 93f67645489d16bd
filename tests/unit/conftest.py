"""Unit-tier fixtures shared by the API and the reminder job: a fake token issuer over HTTP."""

import pytest

from tests.unit.api.fake_issuer import FakeIssuer


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
