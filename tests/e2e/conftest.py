"""End-to-end fixtures: a fresh running system and a real Chromium driven by Playwright."""

import os
import shutil

import pytest
import redis
from playwright.sync_api import expect

from tests.support.stack import running_stack

# Generous waits: on a loaded 2-core CI machine a page can take seconds; a wait is not a duration
# assertion, it only bounds how long a failing test hangs.
expect.set_options(timeout=15_000)

# Flags that keep Chromium from calling home on a machine without internet.
QUIET_CHROMIUM = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]


def system_chromium() -> str | None:
    """Debian's Chromium when present; otherwise Playwright uses its own downloaded browser."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium where there is one (Playwright cannot download offline)."""
    args = dict(browser_type_launch_args)
    if system_chromium():
        args["executable_path"] = system_chromium()
    args["args"] = [*args.get("args", []), *QUIET_CHROMIUM]
    return args


@pytest.fixture(scope="module")
def empty_redis(redis_server) -> str:
    """The private Redis, emptied for this module's stack.

    The Redis outlives each module's stack: without this, users' sessions, consents and IdP
    sessions left by an earlier module show up in this one's sessions lists and flows.
    """
    redis.Redis.from_url(redis_server.url).flushall()
    return redis_server.url


@pytest.fixture(scope="module")
def stack(empty_redis, tmp_path_factory):
    """A system with empty calendars and no sessions, so what a test sees is only what it did."""
    with running_stack(empty_redis, tmp_path_factory.mktemp("e2e")) as running:
        yield running
