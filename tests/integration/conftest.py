"""The whole system over real HTTP: IdP, API and BFF under gunicorn, sharing a private Redis."""

import pytest

from tests.support.stack import running_stack


@pytest.fixture(scope="session")
def stack(redis_server, tmp_path_factory):
    """One running system for the integration tier."""
    with running_stack(redis_server.url, tmp_path_factory.mktemp("stack")) as running:
        yield running
