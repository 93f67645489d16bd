"""Benchmark: requests/second of GET /events with token checks vs. its check-free twin.

Run on demand (not a test), from the repository root:

    .venv/bin/python scripts/bench_api.py [--seconds 5] [--rounds 8] [--workers 2]

It starts a small token issuer (scripts/bench/api_issuer.py), the API under gunicorn
(scripts/bench/api_twin.py adds the twin route), seeds a few events, then alternates wrk runs
against ``/events`` (token checked) and ``/bench/events-unchecked`` (no check) on the same
server with the same headers, and prints
both figures and their ratio. The target is a ratio of at least 0.95. Without wrk on PATH it
falls back to a multi-process Python client (slower, so the figures are not comparable with wrk's).

On a shared machine req/s swing with other load, so it also prints the gunicorn workers' CPU
time per request on each route, read from /proc, which such load hardly moves.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstack.ports import free_port  # noqa: E402
from scripts.bench.api_issuer import AUDIENCE, BenchIssuer, bearer  # noqa: E402
from scripts.bench.api_twin import BENCH_SUB, TWIN_PATH  # noqa: E402
from scripts.bench_load import python_load  # noqa: E402

CHECKED, UNCHECKED = "/events", TWIN_PATH


def main() -> int:
    """Run the benchmark and print requests/second of both routes and their ratio."""
    args = _arguments()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake issuer's access log
    issuer = BenchIssuer().start()
    token = issuer.user_token(BENCH_SUB, scope="calendar:read calendar:write")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = _start_api(issuer.url, Path(tmp) / "api.sqlite3", port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base)
            _seed(base, token, args.events)
            results: dict[str, list[float]] = {CHECKED: [], UNCHECKED: []}
            cpu: dict[str, list[float]] = {CHECKED: [], UNCHECKED: []}
            for path in (CHECKED, UNCHECKED):  # warm-up: JWKS fetched, token cached per worker
                _load(base + path, token, 2, args)
            for _ in range(args.rounds):
                for path in (CHECKED, UNCHECKED):
                    before = _server_cpu_seconds(server.pid)
                    rate = _load(base + path, token, args.seconds, args)
                    used = _server_cpu_seconds(server.pid) - before
                    results[path].append(rate)
                    cpu[path].append(used / (rate * args.seconds) * 1e6)
        finally:
            server.terminate()
            server.wait(timeout=10)
            issuer.stop()
    _report(results, cpu, args)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one measured run")
    parser.add_argument("--rounds", type=int, default=8, help="alternating runs per route")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads / client processes")
    parser.add_argument("--events", type=int, default=5, help="events listed per request")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    return parser.parse_args()


def _start_api(issuer: str, db_path: Path, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "OIDC_ISSUER": issuer,
        "API_AUDIENCE": AUDIENCE,
        "API_DB_PATH": str(db_path),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--no-control-socket",
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--pythonpath", f"{ROOT},{ROOT / 'scripts' / 'bench'}",
        "--log-level", "warning",
        "api_twin:create_bench_app()",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own command line)


def _wait_until_up(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still booting
            time.sleep(0.1)
    raise RuntimeError("the API did not start")


def _seed(base: str, token: str, count: int) -> None:
    for day in range(1, count + 1):
        event = {"title": f"Event {day}", "start": f"2026-12-{day:02}T09:00:00Z",
                 "end": f"2026-12-{day:02}T10:00:00Z"}  # fmt: skip
        response = requests.post(base + "/events", json=event, headers=bearer(token), timeout=5)
        response.raise_for_status()
    checked = requests.get(base + CHECKED, headers=bearer(token), timeout=5).json()
    unchecked = requests.get(base + UNCHECKED, headers=bearer(token), timeout=5).json()
    assert checked == unchecked and len(checked["events"]) == count, "twin must do the same work"


def _load(url: str, token: str, seconds: int, args: argparse.Namespace) -> float:
    wrk = shutil.which("wrk")
    if wrk is None or args.python_client:
        return python_load(url, bearer(token), seconds, args.threads, args.connections)
    command = [
        wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s",
        "-H", f"Authorization: Bearer {token}", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"errors during the run of {url}:\n{output}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise RuntimeError(f"no Requests/sec in wrk's output for {url}:\n{output}")
    return float(found.group(1))


def _server_cpu_seconds(master: int) -> float:
    """CPU time used so far by gunicorn's workers: unlike req/s, other load hardly moves it."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _report(
    results: dict[str, list[float]], cpu: dict[str, list[float]], args: argparse.Namespace
) -> None:
    checked, unchecked = (statistics.median(results[p]) for p in (CHECKED, UNCHECKED))
    tool = "python client" if args.python_client or not shutil.which("wrk") else "wrk"
    print(f"load: {tool}, {args.connections} connections, {args.threads} threads, {args.rounds}"
          f" x {args.seconds}s per route; gunicorn {args.workers} sync workers")  # fmt: skip
    print(f"runs with checks   : {', '.join(f'{r:.0f}' for r in results[CHECKED])}")
    print(f"runs without checks: {', '.join(f'{r:.0f}' for r in results[UNCHECKED])}")
    print(f"GET {CHECKED:24} with token checks: {checked:8.0f} req/s (median)")
    print(f"GET {UNCHECKED:24} without checks  : {unchecked:8.0f} req/s (median)")
    paired = statistics.median(
        c / u for c, u in zip(results[CHECKED], results[UNCHECKED], strict=True)
    )
    print(f"ratio of medians: {checked / unchecked:.3f}; median of paired ratios: {paired:.3f}"
          " (target >= 0.95)")  # fmt: skip
    best = max(results[CHECKED]) / max(results[UNCHECKED])
    print(f"best run of each route (least disturbed by other load): ratio {best:.3f}")
    cpu_checked, cpu_unchecked = (statistics.median(cpu[p]) for p in (CHECKED, UNCHECKED))
    print(f"server CPU per request (median): {cpu_checked:.0f} us with checks,"
          f" {cpu_unchecked:.0f} us without; ratio {cpu_unchecked / cpu_checked:.3f}")  # fmt: skip
    low_checked, low_unchecked = (min(cpu[p]) for p in (CHECKED, UNCHECKED))
    print(f"server CPU per request (lowest): {low_checked:.0f} us with checks,"
          f" {low_unchecked:.0f} us without; ratio {low_unchecked / low_checked:.3f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
