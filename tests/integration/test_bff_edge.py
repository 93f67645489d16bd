"""The BFF under gunicorn as the README starts it, against slow and hostile clients."""

import socket
import subprocess
import time
from pathlib import Path

import pytest

from scripts.bench.slow_clients import slow_header_clients
from tests.support.stack import CSRF


def worker_rss_kib(service) -> int:
    """Resident memory of a gunicorn service's workers, from /proc."""
    children = subprocess.run(
        ["pgrep", "-P", str(service.process.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(status.split("VmRSS:")[1].split()[0])
    return total


def test_fifty_slow_header_clients_do_not_stall_a_signed_in_user(stack):
    http = stack.signed_in("alice")
    with slow_header_clients(stack.services["bff"].port, 50, every=1):
        # Each call must be answered while the slow sockets hold on; a worker model that gives
        # each socket a thread would leave these waiting for the 30 s worker timeout.
        statuses = [
            http.get(stack.bff + "/api/events", headers=CSRF, timeout=5).status_code
            for _ in range(30)
        ]
    assert statuses == [200] * 30


@pytest.mark.parametrize("size", [200 * 1024 * 1024])
def test_a_huge_body_is_refused_with_413_before_the_bff_reads_it(stack, size):
    http = stack.signed_in("alice")
    bff = stack.services["bff"]
    before = worker_rss_kib(bff)
    cookie = f"bff-session={http.cookies['bff-session']}"
    head = (
        f"POST /api/events HTTP/1.1\r\nHost: localhost:{bff.port}\r\nX-CSRF: 1\r\n"
        f"Cookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", bff.port), timeout=5) as sock:
        sock.sendall(head.encode() + b"x" * 65536)
        status_line = sock.makefile("rb").readline()
    assert status_line.split()[1] == b"413"
    assert worker_rss_kib(bff) - before < 20 * 1024


def test_the_proxy_reconnects_when_the_api_has_closed_an_idle_connection(stack):
    http = stack.signed_in("alice")
    assert http.get(stack.bff + "/api/events", headers=CSRF, timeout=5).status_code == 200
    time.sleep(3)  # past gunicorn's 2 s keep-alive: the API has closed the pooled connections
    event = {"title": "Tea", "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"}
    created = http.post(stack.bff + "/api/events", json=event, headers=CSRF, timeout=5)
    time.sleep(3)
    listed = http.get(stack.bff + "/api/events", headers=CSRF, timeout=5)
    assert (created.status_code, listed.status_code) == (201, 200)
