"""The BFF under gunicorn as the README starts it, against slow and hostile clients."""

import socket
import subprocess
import time
from pathlib import Path

import pytest

from scripts.bench.slow_clients import slow_body_clients, slow_header_clients, upload_head
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


def session_cookie(http) -> str:
    return f"bff-session={http.cookies['bff-session']}"


def thirty_calls(stack, http) -> list[int]:
    """Statuses of 30 calls in a row; each must be answered within 5 s."""
    return [
        http.get(stack.bff + "/api/events", headers=CSRF, timeout=5).status_code for _ in range(30)
    ]


def test_fifty_slow_header_clients_do_not_stall_a_signed_in_user(stack):
    http = stack.signed_in("alice")
    with slow_header_clients(stack.services["bff"].port, 50, every=1):
        # Each call must be answered while the slow sockets hold on; a worker model that gives
        # each socket a thread would leave these waiting for the 30 s worker timeout.
        statuses = thirty_calls(stack, http)
    assert statuses == [200] * 30


@pytest.mark.parametrize("size", [200 * 1024 * 1024])
def test_a_huge_body_is_refused_with_413_before_the_bff_reads_it(stack, size):
    http = stack.signed_in("alice")
    bff = stack.services["bff"]
    before = worker_rss_kib(bff)
    head = upload_head(f"localhost:{bff.port}", session_cookie(http), size)
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


def test_slow_uploads_hold_no_connection_to_the_api_so_other_users_carry_on(stack):
    # Bodies over the 64 KB the proxy keeps in memory used to be streamed to the API as they
    # came: twenty slow senders held the API's connections and threads, and everyone's calls
    # waited for the 10 s upstream timeout.
    http = stack.signed_in("alice")
    port = stack.services["bff"].port
    head = upload_head(f"localhost:{port}", session_cookie(http), 100_000)
    with slow_body_clients(port, 20, head, every=0.5):
        time.sleep(1)  # every slow upload has reached the BFF
        statuses = thirty_calls(stack, http)
    assert statuses == [200] * 30


def test_a_body_that_trickles_in_is_cut_off_at_its_deadline_with_408(stack):
    http = stack.signed_in("alice")
    port = stack.services["bff"].port
    head = upload_head(f"localhost:{port}", session_cookie(http), 2000)
    # A byte every half second: the whole body would take over 16 minutes.
    with slow_body_clients(port, 1, head, every=0.5) as (sock,):
        sock.settimeout(15)
        status_line = sock.makefile("rb").readline()
    assert status_line.split()[1] == b"408"
