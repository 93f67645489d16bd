"""The whole system over real HTTP: IdP, API and BFF under gunicorn, sharing a private Redis."""

import pytest

from tests.support.stack import running_stack


@pytest.fixture(scope="session")
def stack(redis_server, tmp_path_factory):
    """One running system for the integration tier."""
    # A body gets 2 s (plus a second per 16 KB) instead of 20, so a test can see one cut off.
    extra = {"bff": {"BFF_BODY_TIMEOUT_SECONDS": "2"}}
    with running_stack(redis_server.url, tmp_path_factory.mktemp("stack"), extra) as running:
        yield running
