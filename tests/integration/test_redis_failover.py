"""Redis high availability for real: a master, a replica and three Sentinels on loopback.

The master is killed while signed-in users keep calling; Sentinel promotes the replica. Every
login completed before the kill survives (the BFF waits for a replica to acknowledge a login's
writes), and the calls fail only with 503 + Retry-After for the seconds the failover takes.
"""

import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis

from devstack.ports import free_port
from devstack.redis import find_redis_server
from tests.support.stack import CSRF, running_stack

MASTER = "calendar"


def redis_process(args: list[str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:  # kept for the failure message: what Sentinel saw and did
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [find_redis_server(), *args], stdout=out, stderr=subprocess.STDOUT
        )


def logs_of(tmp_path: Path) -> str:
    """The last lines each Redis and Sentinel process wrote."""
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-15:])
        for log in sorted(tmp_path.glob("*.log"))
    )


def wait_until(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except redis.RedisError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached in {timeout:.0f}s")


def answering(process: subprocess.Popen, port: int) -> bool:
    """True once the process answers PING; fails at once if it has exited."""
    if process.poll() is not None:
        raise AssertionError(f"the process for port {port} exited with {process.returncode}")
    return redis.Redis(port=port, socket_timeout=1).ping()


def set_up(processes: dict, tmp_path: Path) -> dict:
    """Master, replica and three Sentinels that have met and know the replica."""
    master, replica = free_port(), free_port()
    common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    processes["master"] = redis_process(["--port", str(master), *common], tmp_path / "master.log")
    processes["replica"] = redis_process(
        ["--port", str(replica), *common, "--replicaof", "127.0.0.1", str(master)],
        tmp_path / "replica.log",
    )
    sentinels = [free_port() for _ in range(3)]
    for number, port in enumerate(sentinels):
        conf = tmp_path / f"sentinel-{number}.conf"
        conf.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
            f"sentinel monitor {MASTER} 127.0.0.1 {master} 2\n"
            f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 5000\n"
        )
        processes[f"sentinel-{number}"] = redis_process(
            [str(conf), "--sentinel"], tmp_path / f"sentinel-{number}.log"
        )
    for name, port in [("master", master), ("replica", replica)] + [
        (f"sentinel-{number}", port) for number, port in enumerate(sentinels)
    ]:
        wait_until(
            lambda port=port, name=name: answering(processes[name], port),
            what=f"{name} answering on {port}",
        )
    replica_client = redis.Redis(port=replica, socket_timeout=1)
    wait_until(
        lambda: replica_client.info("replication")["master_link_status"] == "up",
        what="replication",
    )
    for port in sentinels:
        probe = redis.Redis(port=port, socket_timeout=1)
        wait_until(
            lambda probe=probe: probe.sentinel_master(MASTER)["num-other-sentinels"] == 2,
            what="sentinels meeting",
        )
        # A Sentinel learns of replicas from the master's INFO, every 10 s: killed sooner, the
        # master has no replica it knows of, and every failover aborts ("no good slave").
        wait_until(
            lambda probe=probe: any(
                r["port"] == replica and r["flags"] == "slave"
                for r in probe.sentinel_slaves(MASTER)
            ),
            what="sentinels knowing the replica",
        )
    return {"master": master, "replica": replica, "sentinels": sentinels}


@pytest.fixture
def replicated_redis(tmp_path):
    """Master, replica and three Sentinels (quorum 2), all private to this test."""
    processes: dict[str, subprocess.Popen] = {}
    try:
        try:
            ports = set_up(processes, tmp_path)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{logs_of(tmp_path)}") from None
        yield {**ports, "processes": processes, "dir": tmp_path}
    finally:  # also when setting up failed: no Redis outlives its test
        for process in processes.values():
            process.kill()
            process.wait()


def test_a_failover_loses_no_completed_login_and_fails_calls_only_with_503(
    replicated_redis, redis_server, tmp_path
):
    sentinels = ",".join(f"127.0.0.1:{port}" for port in replicated_redis["sentinels"])
    extra = {"bff": {"REDIS_SENTINELS": sentinels, "REDIS_SENTINEL_MASTER": MASTER}}
    # The IdP keeps its own Redis: this test is about the BFF's.
    with running_stack(redis_server.url, tmp_path, extra) as stack:
        users = [stack.signed_in(name) for name in ("alice", "bob")]
        statuses: list[tuple[float, int]] = []
        stop = threading.Event()

        def keep_calling():
            while not stop.is_set():
                for http in users:
                    answer = http.get(stack.bff + "/api/events", headers=CSRF, timeout=10)
                    statuses.append((time.monotonic(), answer.status_code))
                    if answer.status_code == 503:
                        assert answer.headers["Retry-After"]
                time.sleep(0.05)

        caller = threading.Thread(target=keep_calling, daemon=True)
        caller.start()
        wait_until(lambda: len(statuses) >= 10, what="calls before the kill")
        killed_at = time.monotonic()
        replicated_redis["processes"]["master"].kill()
        promoted = redis.Redis(port=replicated_redis["replica"], socket_timeout=1)
        # Sentinel retries a failed leader election after failover-timeout; a busy machine
        # may need a second round, so the wait is generous (the 503 window is measured apart).
        try:
            wait_until(
                lambda: promoted.info("replication")["role"] == "master",
                timeout=90,
                what="promotion",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{logs_of(replicated_redis['dir'])}") from None
        wait_until(lambda: statuses[-1][1] == 200 and statuses[-1][0] > killed_at, what="200s")
        time.sleep(1)  # a few more calls on the new master
        stop.set()
        caller.join()
        assert {status for _, status in statuses} <= {200, 503}
        failed = [at for at, status in statuses if status == 503]
        outage = (max(failed) - killed_at) if failed else 0.0
        print(f"\nfailover: {len(failed)} calls answered 503 over {outage:.1f} s after the kill")
        assert outage < 30  # bounded: Sentinel's down-after (1 s) plus its election
        for http in users:  # both logins survived on the promoted replica
            assert http.get(stack.bff + "/bff/user", headers=CSRF).status_code == 200
