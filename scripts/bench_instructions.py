"""Benchmark: instructions per proxied call, the BFF against the minimal proxy, by callgrind.

Run on demand (not a test), from the repository root:

    .venv/bin/python scripts/bench_instructions.py            # about 3 minutes
    .venv/bin/python scripts/bench_instructions.py --json var/bench/instructions.json

Why: req/s and CPU from /proc (scripts/bench_bff.py) move by a fifth from one minute to the
next on a shared machine, so a change that saves a few percent of the BFF's own work cannot be
seen there. Instruction counts repeat (here: within 0.5% from run to run, whatever else the
machine does), so this is the figure to watch while trimming what the BFF adds above the floor.

What it does: starts a private Redis, the benchmark's backend (scripts/bench/backend.py),
idp-mock and the BFF as devstack starts them, and signs in once through the BFF (a real login,
form posts). Then, for the BFF (`bff:create_app()`, with the BFF's own environment) and the
minimal proxy (scripts/bench/minimal_proxy.py, the floor of scripts/bench_bff.py), it runs this
script with --child under `valgrind --tool=callgrind`, twice: warm-up plus FEW calls, warm-up
plus MANY calls, and reports (instructions of the second - of the first) / (MANY - FEW), so
start-up and imports cancel out. The child calls the app's WSGI callable in-process with the
signed-in session's cookie: the server (gunicorn, the same for both apps) is left out, Redis
and the backend are real, the log line is written (to /dev/null), and garbage collection is off
while counting. Counts are user-space instructions of the Python process only, not the kernel's
work for its sockets.

It needs valgrind (Debian: `apt-get install valgrind`) and what scripts/bench_bff.py needs to
run the BFF and idp-mock (the venv, redis-server).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from werkzeug.test import EnvironBuilder

HERE = Path(__file__).resolve().parent
WARM_UP = 30  # calls before counting starts to matter: pools filled, caches warm
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def collected(valgrind_stderr: str) -> int:
    """The total instruction count callgrind prints when the program ends."""
    found = _COLLECTED.findall(valgrind_stderr)
    if not found:
        raise ValueError("no callgrind total in:\n" + valgrind_stderr[-1500:])
    return int(found[-1])


def per_call(few: tuple[int, int], many: tuple[int, int]) -> float:
    """Instructions per call from two runs of (calls, instructions)."""
    (calls_few, total_few), (calls_many, total_many) = few, many
    if calls_many <= calls_few:
        raise ValueError("the second run must make more calls than the first")
    return (total_many - total_few) / (calls_many - calls_few)


# ---------------------------------------------------------------- the child: calls in-process


def child(app_name: str, calls: int, cookie: str, host: str) -> None:
    """Build the app, then make WARM_UP + `calls` proxied calls through its WSGI callable."""
    if app_name == "bff":
        sys.path.insert(0, str(HERE.parent))
        from bff import create_app

        headers: dict[str, str] = {"X-CSRF": "1"}
    else:
        sys.path.insert(0, str(HERE / "bench"))
        from minimal_proxy import create_app  # type: ignore[import-not-found,no-redef]

        headers = {}
    app = create_app()
    unread = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the child
    sys.stderr = unread  # the BFF's request lines: still formatted and written, unread
    for handler in logging.getLogger("bff").handlers:  # and its other log lines
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(unread)
    sent = [("Cookie", cookie), *headers.items()]
    builder = EnvironBuilder(path="/api/events", base_url=f"http://{host}", headers=sent)
    environ = builder.get_environ()
    statuses: list[str] = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    for number in range(WARM_UP + calls):
        if number == WARM_UP:
            # No cyclic garbage collection while counting, as in a serving worker, whose steady
            # state allocates so little that it collects a few times per 7000 calls: a collection
            # landing in one of the two runs and not the other moved the figure by a tenth.
            gc.collect()
            gc.disable()
        body = b"".join(app({**environ, "wsgi.input": io.BytesIO(b"")}, start_response))
        if not statuses[-1].startswith("200"):
            raise SystemExit(f"{app_name} answered {statuses[-1]}: {body[:200]!r}")


# ---------------------------------------------------------------- the parent: stack and counts


def count(app_name: str, calls: int, env: dict, cookie: str, host: str) -> int:
    """Instructions of one child run under callgrind."""
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--child", app_name, "--calls", str(calls),
        "--cookie", cookie, "--host", host,
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - our own command line, no shell
        command,
        env={**env, "PYTHONHASHSEED": "0"},
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{app_name} under callgrind failed:\n{done.stderr[-2000:]}")
    return collected(done.stderr)


def measure(args: argparse.Namespace) -> dict:
    """Start the stack, sign in once, count both apps."""
    import bench_bff as bench  # type: ignore[import-not-found]  # its start-up helpers

    work = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    with (work / "services.log").open("w") as log, bench.Bench(work, log) as stack:
        edge, idp_redis = stack.redis(), stack.redis()
        backend, _ = bench.start_backend(stack)
        ports = bench.Ports(bff=bench.free_port(), api=bench.free_port(), idp=bench.free_port())
        extra = {"bff": {"API_URL": backend}, "idp": {"REDIS_URL": idp_redis.url}}
        services = {s.name: s for s in bench.build_services(ports, edge.url, work, extra)}
        stack.service(services["idp"])
        stack.service(services["bff"])
        user, password = bench.demo_users()[0]
        browser = bench.bff_sign_in(ports.bff_url, user, password)
        cookie = bench.cookie_header(browser, ports.bff_url, "bff-session")
        host = ports.bff_url.split("://", 1)[1]
        envs = {
            "bff": services["bff"].env,
            "minimal": {**os.environ, "REDIS_URL": edge.url, "API_URL": backend},
        }
        results: dict = {"calls": [args.few, args.many], "instructions_per_call": {}}
        for name, env in envs.items():
            few = (args.few, count(name, args.few, env, cookie, host))
            many = (args.many, count(name, args.many, env, cookie, host))
            results["instructions_per_call"][name] = per_call(few, many)
            print(f"[bench] {name}: {results['instructions_per_call'][name] / 1e6:.3f} M",
                  file=sys.stderr, flush=True)  # fmt: skip
    each = results["instructions_per_call"]
    results["bff_over_minimal"] = each["bff"] / each["minimal"]
    return results


def main() -> int:
    """Parent (the default) or child (--child)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--few", type=int, default=50, help="calls counted in the first run")
    parser.add_argument("--many", type=int, default=250, help="calls counted in the second run")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--child", choices=("bff", "minimal"), help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cookie", help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.calls, args.cookie, args.host)
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    sys.path.insert(0, str(HERE))
    results = measure(args)
    each = results["instructions_per_call"]
    print(f"\ninstructions per proxied call (callgrind; the app through its WSGI callable, "
          f"{args.many - args.few} calls; PYTHONHASHSEED=0):")  # fmt: skip
    print(f"  BFF            {each['bff'] / 1e6:6.3f} M")
    print(f"  minimal proxy  {each['minimal'] / 1e6:6.3f} M   (the floor: only the BFF's I/O)")
    print(f"  BFF / minimal  {results['bff_over_minimal']:6.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
