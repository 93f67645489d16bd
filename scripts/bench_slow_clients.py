"""Benchmark: a signed-in user's latency while slow clients hold sockets open at the BFF.

Run on demand (not a test), from the repository root:

    .venv/bin/python scripts/bench_slow_clients.py              # 50 sockets, 60 s
    .venv/bin/python scripts/bench_slow_clients.py --sockets 50 --seconds 20
    .venv/bin/python scripts/bench_slow_clients.py --bodies     # slow uploads instead

It starts a private Redis, idp-mock, the API and the BFF exactly as devstack does (so the BFF
runs with bff/gunicorn.conf.py), signs alice in with form posts, opens N sockets to the BFF that
each send a request line and then one header line every 2 s and never finish, and meanwhile has
the signed-in user call GET /api/events in a loop. With --bodies, the sockets are alice's own
uploads instead: each sends a whole request head announcing a 100 KB body, then a byte a
second. It prints the user's p50/p99 and errors during the slow clients, and the same measured
without them just before, for comparison.
Everything listens on 127.0.0.1 and is stopped at the end.

    .venv/bin/python scripts/bench_slow_clients.py --bff http://localhost:8000

measures a BFF that is already running instead, e.g. the compose stack (`docker compose up`):
nothing is started, alice signs in through whatever IdP that BFF sends her to (for compose,
`idp.localhost` must resolve to 127.0.0.1 for this script, e.g. through /etc/hosts).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from devstack.ports import free_port  # noqa: E402
from devstack.redis import RedisServer  # noqa: E402
from devstack.stack import Ports, build_services  # noqa: E402
from scripts.bench.slow_clients import (  # noqa: E402
    slow_body_clients,
    slow_header_clients,
    upload_head,
)

_spec = importlib.util.spec_from_file_location("bench_bff", ROOT / "scripts" / "bench_bff.py")
assert _spec and _spec.loader
bench_bff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_bff)  # its browser-free sign-in through idp-mock's forms


def calls(http: requests.Session, url: str, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) of back-to-back calls for `seconds`, and how many failed."""
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            ok = http.get(url, headers={"X-CSRF": "1"}, timeout=10).status_code == 200
        except requests.RequestException:
            ok = False
        latencies.append((time.perf_counter() - started) * 1000)
        errors += not ok
        time.sleep(0.02)  # a person's pace, not a load test
    return latencies, errors


def summary(latencies: list[float], errors: int) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return f"{len(latencies)} calls, p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms, {errors} errors"


def measure(bff_url: str, sockets: int, seconds: float, bodies: bool = False) -> None:
    """Sign alice in at this BFF, then her calls without and with the slow clients."""
    url = bff_url + "/api/events"
    cookie = bench_bff.bff_sign_in(bff_url, "alice", "wonderland").cookie_header(url)
    http = requests.Session()
    http.trust_env = False  # loopback: no proxy settings to read at each call
    http.headers["Cookie"] = cookie
    print("without slow clients:", summary(*calls(http, url, 10)))
    address = urlsplit(bff_url)
    port, host = address.port or 80, address.hostname or "127.0.0.1"
    if bodies:  # signed-in uploads over the 64 KB kept in memory, a byte every second
        head = upload_head(address.netloc, cookie, 100_000)
        slow = slow_body_clients(port, sockets, head, host=host)
    else:
        slow = slow_header_clients(port, sockets, host=host)
    with slow:
        during = calls(http, url, seconds)
    kind = "slow uploads" if bodies else "slow clients"
    print(f"with {sockets} {kind} for {seconds:.0f} s:", summary(*during))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--bff", metavar="URL", help="a running BFF to measure; nothing started")
    parser.add_argument(
        "--bodies", action="store_true", help="slow uploads (signed-in POSTs) instead of headers"
    )
    args = parser.parse_args()
    if args.bff:
        measure(args.bff.rstrip("/"), args.sockets, args.seconds, args.bodies)
        return 0
    redis_server = RedisServer(free_port()).start()
    ports = Ports(bff=free_port(), api=free_port(), idp=free_port())
    state = Path(tempfile.mkdtemp(prefix="bench-slow-"))
    services = build_services(ports, redis_server.url, state)
    try:
        with (state / "services.log").open("w") as log:
            for service in services:
                service.start(log=log).wait_healthy()
            measure(ports.bff_url, args.sockets, args.seconds, args.bodies)
    finally:
        for service in reversed(services):
            service.stop()
        redis_server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
