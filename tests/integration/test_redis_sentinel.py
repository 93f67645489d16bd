"""Horizontal scale: the BFF finds its Redis master through Redis Sentinel when configured so."""

import subprocess
import time

import pytest
import redis

from bff import connect_redis
from devstack.ports import free_port
from devstack.redis import RedisServer, find_redis_server
from tests.unit.bff.conftest import make_config


@pytest.fixture
def sentinel(tmp_path):
    """A real master and one real Sentinel process watching it."""
    master = RedisServer(free_port()).start()
    port = free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {port}\nbind 127.0.0.1\nsentinel monitor calendar 127.0.0.1 {master.port} 1\n"
    )
    process = subprocess.Popen(
        [find_redis_server(), str(conf), "--sentinel"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    probe = redis.Redis(port=port, socket_timeout=1)
    for _ in range(100):  # bounded wait until the Sentinel knows the master
        try:
            if probe.execute_command("SENTINEL", "get-master-addr-by-name", "calendar"):
                break
        except redis.ConnectionError:
            pass
        time.sleep(0.05)
    yield port, master
    process.terminate()
    process.wait()
    master.stop()


def test_bff_uses_the_master_that_sentinel_names(sentinel):
    port, master = sentinel
    config = make_config(
        "",
        "http://127.0.0.1:9",
        redis_sentinels=(("127.0.0.1", port),),
        redis_sentinel_master="calendar",
    )
    client = connect_redis(config)
    client.set("bff:probe", "through sentinel")
    assert redis.Redis.from_url(master.url).get("bff:probe") == b"through sentinel"
