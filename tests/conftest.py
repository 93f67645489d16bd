"""Fixtures shared by every tier: a real, private Redis for the whole test session."""

import pytest
import redis

from devstack.ports import free_port
from devstack.redis import RedisServer


@pytest.fixture(scope="session")
def redis_server():
    """A private redis-server for this test run, never the developer's own data."""
    server = RedisServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """URL of the private Redis, emptied before each test so tests cannot see each other."""
    redis.Redis.from_url(redis_server.url).flushall()
    return redis_server.url
