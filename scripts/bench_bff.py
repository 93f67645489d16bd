"""Benchmark: this BFF against Apache + mod_auth_openidc, same backend, same Redis, one run.

Run on demand (not a test), from the repository root, on a machine with nothing else busy:

    .venv/bin/python scripts/bench_bff.py            # full run, about 5 minutes
    .venv/bin/python scripts/bench_bff.py --quick    # smoke run, about 1 minute
    .venv/bin/python scripts/bench_bff.py --json var/bench/bff.json   # also every figure as JSON

It needs: the project's venv (`pip install -e '.[test]'`), `redis-server`, Node.js with npm (the
registry or a cache must be reachable: `oidc-provider`, pinned in scripts/bench/package.json, is
installed under var/bench/ on the first run), Apache with mod_auth_openidc (Debian:
`apt-get install apache2 libapache2-mod-auth-openidc`) and `wrk` (`apt-get install wrk`; without
it a Python load generator is used, much slower, so its figures are not comparable). Everything
listens on 127.0.0.1 on free ports; everything it starts is stopped at the end, also on Ctrl-C
and when --timeout passes.

Every Python process it starts (backend, BFF, floor, idp-mock, login clients) runs under the
interpreter that runs this script, and the report names it. Run it under the build you deploy:
a CPython built without profile-guided and link-time optimisation (pyenv's default build)
spends at least a fifth more CPU per proxied call than an optimised one, on every machine
measured (docs/bff-benchmarks.md, "The interpreter"). A venv made by an optimised `python3.11`,
with the lock installed into it, is enough.

What it starts:
- a backend (scripts/bench/backend.py under gunicorn, 2 workers x 4 threads, served the way
  devstack serves the project's API, so it keeps connections alive as the real API does) that
  answers GET /events with a small JSON in the events shape and whether a bearer token arrived.
  `--backend-sync` serves it with 2 sync workers instead, which close every connection (the
  shape of the first measurement in the BFF edge issue): each proxy then opens a new upstream
  connection per call, which costs a Python proxy far more than a C one. The project's API is
  not used as the backend because it only accepts tokens of one issuer, and each path here has
  its own provider; a token-blind backend does the same work behind every path.
- a private Redis for the two edges (BFF sessions and mod_auth_openidc's server-cache sessions),
  and another one for idp-mock, so the edge Redis counts and memory are the edges' alone.
- node-oidc-provider (scripts/bench/oidc_provider.mjs) and Apache 2.4 + mod_auth_openidc
  (scripts/bench/apache.conf.template) as a BFF: Redis server-cache sessions, PKCE S256, the
  access token passed to the backend as `Authorization: Bearer`, /protected/* proxied to it.
- the floor: scripts/bench/minimal_proxy.py, a plain WSGI proxy that does only the BFF's I/O
  for a proxied call (one MGET of the BFF's three keys, one call to the backend over
  geventhttpclient) and nothing else, under the BFF's own gunicorn configuration and with the
  BFF's session. What it costs above Apache is the price of the stack (gunicorn, redis-py,
  gevent); what the BFF costs above it is the BFF's own work. (Until 2026-11-27 it was a Flask
  app; the BFF now serves its steady-state call below Flask, bff/fast_lane.py.)
- idp-mock and the BFF exactly as devstack starts them (devstack.stack.build_services, so a
  change to the BFF's start command or worker model is benchmarked as is), with the BFF's API_URL
  set to the backend. The project's API is not started: no measured path reaches it.

What it measures:
1. Interleaved rounds of wrk (16 connections): the backend directly, the BFF
   (GET /api/events, X-CSRF: 1, the session cookie), the minimal proxy (same cookie) and Apache
   (GET /protected/events, its session cookie). Per path: req/s, p50/p99, CPU per request of
   each process group (utime + stime of a process and its live children from /proc,
   before/after, over requests) and Redis commands per request (INFO commandstats). Ratios
   BFF/Apache, the floor's ratios (minimal proxy/Apache, BFF/minimal proxy), min/median/max
   over rounds.
2. Added p50 at low load (1 connection) of each proxy over the direct call.
3. Full logins per second against BFF + idp-mock, in parallel processes, each login a new lean
   browser (scripts/bench/form_browser.py: redirects, cookies, form posts; no scripts). They run
   last, as bob, so the sessions they leave do not shift the figures of 4.
4. Redis bytes per signed-in BFF session at 1k, 10k and 100k sessions, and the proxy's p50 at
   each count. Sessions up to --real-logins are made by real logins; the rest are faithful copies
   of the keys one real login wrote (DUMP/RESTORE under new random ids of the same length, same
   TTL; members a login adds to shared keys, such as a per-user index, are added with new
   ids of the same length). The output says how many of each. The p50 at the last count against
   the first is measured again with both counts in one Redis, swapped (SWAPDB) between rounds,
   so that the machine's drift over the minutes between the two counts drops out.

Figures move with other load on the machine: CPU per request moves less than req/s.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import gevent
import redis
import requests
from geventhttpclient.response import HTTPParseError

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "scripts" / "bench"
sys.path.insert(0, str(ROOT))

from devstack.ports import free_port  # noqa: E402
from devstack.redis import RedisServer  # noqa: E402
from devstack.services import Service  # noqa: E402
from devstack.stack import Ports, build_services, demo_users  # noqa: E402
from scripts.bench.form_browser import FormBrowser, sign_in  # noqa: E402

PATHS = ("direct", "bff", "minimal", "apache")
CPU_TARGET = 1.5  # the BFF's proxy CPU per request over Apache's, at most
CLIENT_ID, CLIENT_SECRET = "apache-bff", "apache-bff-secret"


# ---------------------------------------------------------------- parsing (unit-tested)

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_duration_ms(text: str) -> float:
    """'812.00us', '1.23ms', '2.01s' as printed by wrk, in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests, req/s, p50/p99 (ms) and error counts from `wrk --latency` output."""
    requests_match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not requests_match or not rate:
        raise ValueError(f"unexpected wrk output:\n{output}")
    latency = {
        int(pct): parse_duration_ms(value)
        for pct, value in re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.MULTILINE)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(requests_match.group(1)),
        "rps": float(rate.group(1)),
        "p50_ms": latency.get(50),
        "p99_ms": latency.get(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def parse_commandstats(info: dict) -> dict[str, int]:
    """{'get': 12, 'expire': 3} from redis-py's INFO commandstats answer."""
    return {
        key.removeprefix("cmdstat_"): int(value["calls"])
        for key, value in info.items()
        if key.startswith("cmdstat_")
    }


def spread(values: list[float]) -> dict:
    """min, median and max of a list of figures."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


# ---------------------------------------------------------------- processes


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and all its live descendants, in seconds."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):  # exited between two reads
            continue
    return total / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """utime + stime of this script's children that have ended (the login processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for(check, what: str, timeout: float = 30.0, process=None) -> None:
    """Retry `check` until it is true, with a bound; fail naming what never came up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up in {timeout:.0f}s")


def answers(url: str) -> bool:
    """Does the URL answer at all (any status)?"""
    requests.get(url, timeout=1, allow_redirects=False)
    return True


class Bench(contextlib.ExitStack):
    """Every process of the run; stopped in reverse order when the block ends."""

    def __init__(self, work: Path, log):
        super().__init__()
        self.work, self.log = work, log

    def popen(self, command: list[str], **kwargs) -> subprocess.Popen:
        """Start a child process that is stopped when the benchmark ends."""
        process = subprocess.Popen(  # noqa: S603 - our own command lines, no shell
            command, stdout=self.log, stderr=self.log, **kwargs
        )
        self.callback(stop_process, process)
        return process

    def redis(self) -> RedisServer:
        """A private redis-server."""
        server = RedisServer(free_port()).start()
        self.callback(server.stop)
        # The demo's 256 MB cap would refuse the 100k-session step (about 370 MB): no cap here.
        redis.Redis.from_url(server.url).config_set("maxmemory", 0)
        return server

    def service(self, service: Service) -> Service:
        """A devstack service, started and healthy."""
        self.callback(service.stop)
        service.start(log=self.log).wait_healthy(timeout=60)
        return service


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, then kill if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_backend(bench: Bench, sync: bool = False) -> tuple[str, subprocess.Popen]:
    """The token-blind backend under gunicorn: 2 workers x 4 threads (keep-alive), or 2 sync."""
    port = free_port()
    threads = [] if sync else ["--threads", "4"]
    command = [
        sys.executable, "-m", "gunicorn", "--no-control-socket",
        "-b", f"127.0.0.1:{port}", "--workers", "2", *threads, "--log-level", "warning",
        "--pythonpath", str(BENCH), "backend:create_app()",
    ]  # fmt: skip
    process = bench.popen(command, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: requests.get(url + "/healthz", timeout=1).ok, "backend", process=process)
    return url, process


def start_minimal_proxy(bench: Bench, backend: str, redis_url: str) -> tuple[str, subprocess.Popen]:
    """scripts/bench/minimal_proxy.py under the BFF's own gunicorn configuration."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--no-control-socket", "-c", "bff/gunicorn.conf.py",
        "-b", f"127.0.0.1:{port}", "--pythonpath", str(BENCH), "minimal_proxy:create_app()",
    ]  # fmt: skip
    env = {**os.environ, "REDIS_URL": redis_url, "API_URL": backend}
    process = bench.popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: answers(url + "/api/events"), "minimal proxy", process=process)
    return url, process


def install_oidc_provider() -> Path:
    """node-oidc-provider at the pinned version, under var/bench (npm runs only when needed)."""
    target = ROOT / "var" / "bench" / "oidc-provider"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "oidc_provider.mjs"):
        shutil.copy(BENCH / name, target / name)
    pinned = json.loads((BENCH / "package.json").read_text())["dependencies"]["oidc-provider"]
    installed = target / "node_modules" / "oidc-provider" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != pinned:
        npm = shutil.which("npm") or sys.exit("npm not found: install Node.js and npm")
        subprocess.run(  # noqa: S603 - fixed command
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target, check=True, timeout=300, stdout=sys.stderr,
        )  # fmt: skip
    return target


def start_apache_side(bench: Bench, backend: str, redis_port: int) -> tuple[str, dict]:
    """node-oidc-provider, then Apache + mod_auth_openidc in front of the backend."""
    provider_dir = install_oidc_provider()
    node_port, apache_port = free_port(), free_port()
    apache = f"http://127.0.0.1:{apache_port}"
    node = shutil.which("node") or sys.exit("node not found: install Node.js")
    provider = bench.popen(
        [node, "oidc_provider.mjs", str(node_port), CLIENT_ID, CLIENT_SECRET,
         apache + "/protected/redirect_uri"],
        cwd=provider_dir,
    )  # fmt: skip
    issuer = f"http://127.0.0.1:{node_port}"
    discovery = issuer + "/.well-known/openid-configuration"
    wait_for(lambda: requests.get(discovery, timeout=1).ok, "oidc-provider", process=provider)

    apache2 = shutil.which("apache2") or shutil.which("httpd")
    if not apache2:
        sys.exit("apache2 not found: apt-get install apache2 libapache2-mod-auth-openidc")
    run_dir = bench.work / "apache"
    run_dir.mkdir()
    root = os.geteuid() == 0
    if root:  # the workers drop to www-data, which must be able to read nothing of ours
        shutil.chown(run_dir, "www-data", "www-data")
    config = string.Template((BENCH / "apache.conf.template").read_text()).substitute(
        server_root="/etc/apache2",
        modules="/usr/lib/apache2/modules",
        run_dir=run_dir,
        port=apache_port,
        user_directives="User www-data\nGroup www-data" if root else "",
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        passphrase=secrets.token_urlsafe(24),
        redis_port=redis_port,
        backend_port=backend.rsplit(":", 1)[1],
    )
    (run_dir / "apache2.conf").write_text(config)
    process = bench.popen([apache2, "-f", str(run_dir / "apache2.conf"), "-DFOREGROUND"])
    wait_for(lambda: answers(apache + "/protected/events"), "apache", process=process)
    return apache, {"apache": process, "oidc-provider": provider}


# ---------------------------------------------------------------- signing in without a browser


def bff_sign_in(bff: str, user: str, password: str) -> FormBrowser:
    """A real login through the BFF and idp-mock's login and consent forms."""
    return _signed_in(bff + "/bff/login", user, password, bff)


def apache_sign_in(apache: str) -> FormBrowser:
    """A real login through mod_auth_openidc and node-oidc-provider's dev interactions."""
    return _signed_in(apache + "/protected/events", "bench-user", "any password", apache)


def _signed_in(start: str, user: str, password: str, home: str) -> FormBrowser:
    browser = FormBrowser()
    try:
        sign_in(browser, start, user, password, home)
    finally:
        browser.close()  # its cookies stay
    return browser


def cookie_header(browser: FormBrowser, url: str, name: str) -> str:
    """The Cookie header for `url` with just the named cookie (the session cookie)."""
    return f"{name}={browser.cookie(urlsplit(url).hostname or '', name)}"


def _login_batch(bff: str, user: str, password: str, count: int) -> tuple[int, int]:
    """`count` logins in a row in one worker process, each a new browser: (succeeded, failed)."""
    ok = failed = 0
    for _ in range(count):
        browser = FormBrowser()
        try:
            sign_in(browser, bff + "/bff/login", user, password, bff)
            ok += 1
        except (RuntimeError, OSError, HTTPParseError):
            failed += 1
        finally:
            browser.close()
    return ok, failed


def parallel_logins(
    bff: str, count: int, workers: int, user: tuple[str, str] | None = None
) -> tuple[int, int, float]:
    """`count` real logins of `user` (alice) over `workers` processes: (ok, failed, seconds)."""
    name, password = user or demo_users()[0]
    shares = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
    started = time.monotonic()
    # Forked from a process whose own logins started gevent's loop: each child needs its own.
    with ProcessPoolExecutor(workers, initializer=gevent.reinit) as pool:
        futures = [pool.submit(_login_batch, bff, name, password, n) for n in shares]
        results = [future.result() for future in futures]
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results), sum(r[1] for r in results), elapsed


# ---------------------------------------------------------------- load


def run_load(url: str, headers: dict, seconds: float, connections: int, python: bool) -> dict:
    """One load run: wrk --latency, else a threaded Python client with the same figures."""
    wrk = shutil.which("wrk")
    if wrk and not python:
        command = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s",
                   "--latency", "--timeout", "5s"]  # fmt: skip
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(  # noqa: S603 - our own command line
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
        ).stdout
        return parse_wrk(output)
    return python_load(url, headers, seconds, connections)


def python_load(url: str, headers: dict, seconds: float, connections: int) -> dict:
    """Fallback load generator: one thread per connection, keep-alive, no redirects followed."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        http, mine, bad = requests.Session(), [], 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                ok = http.get(url, headers=headers, timeout=5, allow_redirects=False).ok
            except requests.RequestException:
                ok = False
            mine.append((time.perf_counter() - start) * 1e3)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return {"requests": len(latencies), "rps": len(latencies) / seconds, "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "non_2xx": errors[0], "socket_errors": 0}  # fmt: skip


class Probe:
    """CPU of each process group and the edge Redis' command counts around one load run."""

    def __init__(self, groups: dict[str, int], edge: redis.Redis):
        self.groups, self.edge = groups, edge

    def snapshot(self) -> tuple[dict, dict]:
        cpu = {name: cpu_seconds(pid) for name, pid in self.groups.items()}
        return cpu, parse_commandstats(self.edge.info("commandstats"))

    def measure(self, load) -> dict:
        """Run `load()` and add CPU ms and Redis commands per request to its figures."""
        cpu0, calls0 = self.snapshot()
        result = load()
        cpu1, calls1 = self.snapshot()
        # INFO itself is one call of our own, made between the two snapshots.
        calls1["info"] = calls1.get("info", 1) - 1
        done = max(1, result["requests"])
        result["cpu_ms_per_request"] = {g: (cpu1[g] - cpu0[g]) * 1e3 / done for g in cpu0}
        per_command = {
            name: (calls1[name] - calls0.get(name, 0)) / done
            for name in calls1
            if calls1[name] != calls0.get(name, 0)
        }
        result["redis_calls_per_request"] = {
            "total": sum(per_command.values()),
            **{k.upper(): v for k, v in per_command.items()},
        }
        return result


# ---------------------------------------------------------------- Redis sessions


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _dumped(client: redis.Redis, key: bytes) -> bytes:
    """DUMP of a key that exists (it was just listed)."""
    payload = client.dump(key)
    if payload is None:
        raise RuntimeError(f"{key!r} vanished while being copied")
    return payload


def key_snapshot(client: redis.Redis) -> dict[bytes, tuple[str, set]]:
    """Every key with its type and, for collections, its members."""
    snapshot = {}
    for key in client.scan_iter(count=1000):
        kind = _text(client.type(key))
        members: set = set()
        if kind == "zset":
            members = set(client.zrange(key, 0, -1, withscores=True))
        elif kind == "set":
            members = client.smembers(key)
        elif kind == "hash":
            members = set(client.hgetall(key).items())
        snapshot[key] = (kind, members)
    return snapshot


def _same_length_id(old: bytes) -> bytes:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(random.choices(alphabet, k=len(old))).encode()  # noqa: S311 - not secret


def _renamed(key: bytes) -> bytes:
    """A key with its last `:`-separated segment (the random id) replaced by a new one."""
    head, sep, tail = key.rpartition(b":")
    return head + sep + _same_length_id(tail)


class SessionCopier:
    """Writes what one real login wrote to Redis again, under new ids of the same length."""

    def __init__(self, client: redis.Redis, before: dict, after: dict):
        self.client = client
        self.new_keys = [key for key in after if key not in before]
        self.added = {
            key: (after[key][0], after[key][1] - before[key][1])
            for key in after
            if key in before and after[key][1] - before[key][1]
        }
        self.dumps = [
            (key, _dumped(client, key), max(0, client.pttl(key))) for key in self.new_keys
        ]

    def describe(self) -> str:
        """What one login adds, e.g. 'new keys bff:login:*, ...; members added to bff:user:*'."""

        def pattern(key: bytes) -> str:
            return key.rpartition(b":")[0].decode() + ":*"

        text = "new keys " + ", ".join(sorted(pattern(k) for k in self.new_keys))
        if self.added:
            text += "; members added to " + ", ".join(sorted(pattern(k) for k in self.added))
        return text

    def check(self) -> str:
        """Copy one session and compare MEMORY USAGE key by key with the real login's keys."""
        differences = []
        for key, payload, ttl in self.dumps:
            copy = _renamed(key)
            self.client.restore(copy, ttl, payload)
            real, copied = self.client.memory_usage(key), self.client.memory_usage(copy)
            self.client.delete(copy)
            if real != copied:
                differences.append(f"{key.decode()}: {real} B, copy {copied} B")
        if differences:
            return "copies differ: " + "; ".join(differences)
        return "each copied key has the MEMORY USAGE of the real login's key"

    def copy(self, count: int, batch: int = 500) -> None:
        """Write `count` more sessions."""
        for start in range(0, count, batch):
            pipe = self.client.pipeline(transaction=False)
            for _ in range(min(batch, count - start)):
                for key, payload, ttl in self.dumps:
                    pipe.restore(_renamed(key), ttl, payload)
                for key, (kind, members) in self.added.items():
                    for member in members:
                        if kind == "zset":
                            pipe.zadd(key, {_same_length_id(member[0]): member[1]})
                        elif kind == "set":
                            pipe.sadd(key, _same_length_id(member))
                        elif kind == "hash":
                            pipe.hset(key, _same_length_id(member[0]), member[1])
            pipe.execute()


# One signed-in browser's keys, named by its cookie's id (as the minimal proxy reads them).
SESSION_KEY_PREFIXES = ("bff:session:", "bff:login:", "bff:slid:")


def dump_keys(client: redis.Redis, keys: list[bytes]) -> list[tuple[bytes, bytes, int]]:
    """(key, DUMP, PTTL) of each key that exists, in one round trip."""
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.dump(key)
        pipe.pttl(key)
    answers = pipe.execute()
    pairs = zip(answers[::2], answers[1::2], strict=True)
    return [(key, payload, max(0, ttl)) for key, (payload, ttl) in zip(keys, pairs, strict=True)
            if payload is not None]  # fmt: skip


class LevelSwitch:
    """The sessions of two levels in two Redis databases, swapped under the running BFF.

    SWAPDB is atomic: the BFF, reading database 0, sees the large level and then the small one
    within seconds, so the machine's drift between levels measured minutes apart drops out.
    """

    def __init__(self, client: redis.Redis, small_level: list[tuple[bytes, bytes, int]], sid: str):
        self.client, self.large_in_use = client, True
        where = client.connection_pool.connection_kwargs
        self.spare = redis.Redis(host=where["host"], port=where["port"], db=1)
        self.spare.flushdb()
        for start in range(0, len(small_level), 1000):
            pipe = self.spare.pipeline(transaction=False)
            for key, payload, ttl in small_level[start : start + 1000]:
                pipe.restore(key, ttl, payload, replace=True)
            pipe.execute()
        self.measured = [(prefix + sid).encode() for prefix in SESSION_KEY_PREFIXES]

    def use(self, large: bool) -> None:
        """Give the BFF the large level's sessions, or the small one's."""
        if large == self.large_in_use:
            return
        # The measured browser's keys as they are now: a refresh that rotated its tokens in
        # one database must not be undone by swapping in the other.
        pipe = self.spare.pipeline(transaction=False)
        for key, payload, ttl in dump_keys(self.client, self.measured):
            pipe.restore(key, ttl, payload, replace=True)
        pipe.execute()
        self.client.swapdb(0, 1)
        self.large_in_use = large

    def close(self) -> None:
        """Leave the large level in database 0 and nothing in the spare."""
        self.use(large=True)
        self.spare.flushdb()


def alternated_p50(switch: LevelSwitch, target: tuple[str, dict], args) -> dict:
    """p50 at 1 connection with the large level and with the small one, alternated per round."""
    url, headers = target
    p50: dict[str, list[float]] = {"large": [], "small": []}
    for number in range(args.rounds):
        for name in rotated(("large", "small"), number):
            switch.use(large=name == "large")
            p50[name].append(run_load(url, headers, args.low_seconds, 1, args.python_client)
                             ["p50_ms"])  # fmt: skip
    switch.close()
    ratios = [large / small for large, small in zip(p50["large"], p50["small"], strict=True)]
    return {name: spread(values) for name, values in p50.items()} | {"ratio": spread(ratios)}


def cookie_value(header: str, name: str) -> str:
    """One cookie's value from a Cookie header."""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    raise RuntimeError(f"no {name} cookie in {header!r}")


# ---------------------------------------------------------------- the run


def main() -> int:
    """Run every phase and print (or dump as JSON) the figures."""
    args = arguments()
    if args.quick:
        args.rounds, args.seconds, args.low_seconds = 2, 3, 2
        args.logins, args.real_logins, args.session_counts = 20, 100, "100,1000,10000"
        args.apache_logins = 10
    counts = [int(c) for c in args.session_counts.split(",")]

    def expired(*_):
        raise TimeoutError(f"the benchmark ran longer than --timeout {args.timeout}s")

    signal.signal(signal.SIGALRM, expired)
    signal.signal(signal.SIGTERM, interrupted)
    signal.alarm(args.timeout)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="bench-bff-"))
    with (work / "services.log").open("w") as log, Bench(work, log) as bench:
        say(f"logs in {work}/services.log")
        results = run(bench, args, counts)
    results["seconds"] = round(time.monotonic() - started)
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    signal.alarm(0)
    if args.json and args.json != "-":
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    if args.json == "-":
        print(json.dumps(results, indent=2))
    else:
        report(results)
    return 0


def interrupted(*_):
    """SIGTERM stops everything as Ctrl-C does."""
    raise KeyboardInterrupt


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (~1 min)")
    parser.add_argument("--json", metavar="FILE",
                        help="also write every figure, each round included, as JSON to FILE"
                        " ('-': print the JSON instead of the tables)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--seconds", type=int, default=8, help="length of one run at 16 conns")
    parser.add_argument("--low-seconds", type=int, default=3, help="length of one 1-conn run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--logins", type=int, default=1000, help="logins for the logins/s figure")
    parser.add_argument("--login-workers", type=int, default=4, help="parallel login processes")
    parser.add_argument("--real-logins", type=int, default=1000,
                        help="sessions made by real logins; more are copies")  # fmt: skip
    parser.add_argument("--session-counts", default="1000,10000,100000")
    parser.add_argument("--apache-logins", type=int, default=100,
                        help="real Apache logins for its bytes per session")  # fmt: skip
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--backend-sync", action="store_true",
                        help="serve the backend with 2 sync workers (no keep-alive)")  # fmt: skip
    parser.add_argument("--timeout", type=int, default=1800, help="stop everything after this")
    return parser.parse_args()


def say(text: str) -> None:
    """Progress, on stderr so that --json output stays clean."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def run(bench: Bench, args: argparse.Namespace, counts: list[int]) -> dict:
    """Start everything, sign in on both sides, then measure each phase."""
    edge_server, idp_redis = bench.redis(), bench.redis()
    edge = redis.Redis.from_url(edge_server.url)
    backend, backend_process = start_backend(bench, sync=args.backend_sync)
    say(f"backend {backend}; edge Redis {edge_server.url}; idp-mock Redis {idp_redis.url}")
    apache, apache_processes = start_apache_side(bench, backend, edge_server.port)
    say(f"apache {apache}")
    minimal, minimal_process = start_minimal_proxy(bench, backend, edge_server.url)
    say(f"minimal proxy {minimal}")

    ports = Ports(bff=free_port(), api=free_port(), idp=free_port())
    # The BFF's per-address rate limits are off: every benchmark login comes from 127.0.0.1.
    no_limits = {"BFF_RATE_LIMIT_LOGIN": "", "BFF_RATE_LIMIT_CALLBACK": ""}
    extra = {"bff": {"API_URL": backend, **no_limits}, "idp": {"REDIS_URL": idp_redis.url}}
    services = {s.name: s for s in build_services(ports, edge_server.url, bench.work, extra)}
    idp, bff = bench.service(services["idp"]), bench.service(services["bff"])
    idp_pid, bff_pid = pid_of(idp.process), pid_of(bff.process)
    say(f"idp-mock {idp.url}; BFF {ports.bff_url} (devstack's command, API_URL={backend})")

    user, password = demo_users()[0]
    bff_cookie = bff_sign_in(ports.bff_url, user, password).cookie_header(ports.bff_url + "/api/")
    apache_cookie = cookie_header(apache_sign_in(apache), apache, "mod_auth_openidc_session")
    targets = {
        "direct": (backend + "/events", {"Authorization": "Bearer not-checked"}),
        "bff": (ports.bff_url + "/api/events", {"X-CSRF": "1", "Cookie": bff_cookie}),
        "apache": (apache + "/protected/events", {"Cookie": apache_cookie}),
        # The BFF's session, read by a proxy that does only the BFF's I/O.
        "minimal": (minimal + "/api/events", {"Cookie": bff_cookie}),
    }
    for name, (url, headers) in targets.items():
        check_path(name, url, headers)
    probe = Probe(
        {"backend": backend_process.pid, "bff": bff_pid,
         "apache": apache_processes["apache"].pid, "minimal": minimal_process.pid,
         "redis": pid_of(edge_server.process)},
        edge,
    )  # fmt: skip
    tool = "python" if args.python_client or not shutil.which("wrk") else "wrk"
    results: dict = {
        "load_tool": tool,
        "backend": "2 sync workers" if args.backend_sync else "2 workers x 4 threads, keep-alive",
        "connections": args.connections,
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
        "bff_command": " ".join(bff_gunicorn_command(bff)),
        "machine": {"cpus": os.cpu_count(), "loadavg_at_start": os.getloadavg()},
        "versions": versions(),
    }

    say("warm-up")
    for url, headers in targets.values():
        run_load(url, headers, 2, args.connections, args.python_client)

    say(f"throughput: {args.rounds} rounds x {len(PATHS)} paths x {args.seconds}s")
    rounds: dict[str, list[dict]] = {name: [] for name in PATHS}
    for number in range(args.rounds):
        for name in rotated(PATHS, number):
            url, headers = targets[name]
            load = functools.partial(
                run_load, url, headers, args.seconds, args.connections, args.python_client
            )
            rounds[name].append(probe.measure(load))
            check_path(name, url, headers)
            say(f"  round {number + 1} {name:6} {rounds[name][-1]['rps']:8.0f} req/s")
    results["throughput"] = summarise(rounds)

    say(f"low load: {args.rounds} rounds x {len(PATHS)} paths x {args.low_seconds}s, 1 connection")
    low: dict[str, list[float]] = {name: [] for name in PATHS}
    for number in range(args.rounds):
        for name in rotated(PATHS, number):
            url, headers = targets[name]
            low[name].append(run_load(url, headers, args.low_seconds, 1, args.python_client)
                             ["p50_ms"])  # fmt: skip
    results["low_load_p50_ms"] = {name: spread(values) for name, values in low.items()}
    direct = statistics.median(low["direct"])
    results["low_load_added_p50_ms"] = {
        name: statistics.median(low[name]) - direct for name in ("bff", "minimal", "apache")
    }

    say(f"Apache sessions: {args.apache_logins} real logins")
    results["apache_sessions"] = apache_session_memory(edge, apache, args.apache_logins)
    results["sessions"] = session_memory(edge, ports.bff_url, targets, args, counts)
    # Last, so that the sessions it leaves do not shift the bytes-per-session figures; as bob,
    # so that no login touches alice's per-user index, which holds every copied session.
    results["logins"] = login_rate(ports.bff_url, args, {"bff": bff_pid, "idp": idp_pid})
    check_path("bff", *targets["bff"])
    return results


def login_rate(bff: str, args: argparse.Namespace, pids: dict[str, int]) -> dict:
    """Full logins per second, and the CPU each login costs the BFF, idp-mock and the client."""
    say(f"logins: {args.logins} over {args.login_workers} processes")
    user = demo_users()[1]
    cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    client0 = children_cpu_seconds()
    ok, failed, elapsed = parallel_logins(bff, args.logins, args.login_workers, user)
    per_login = {name: (cpu_seconds(pid) - cpu0[name]) * 1e3 / max(1, ok)
                 for name, pid in pids.items()}  # fmt: skip
    # The login processes of this script: when they use as much CPU as the servers, the
    # figure is bounded by the client on this machine, not by the BFF.
    per_login["client"] = (children_cpu_seconds() - client0) * 1e3 / max(1, ok)
    return {
        "succeeded": ok, "failed": failed, "seconds": elapsed, "per_second": ok / elapsed,
        "workers": args.login_workers, "user": user[0], "cpu_ms_per_login": per_login,
    }  # fmt: skip


def versions() -> dict:
    """Apache, mod_auth_openidc (Debian's package, when there is one) and oidc-provider."""
    apache2 = shutil.which("apache2") or shutil.which("httpd") or "apache2"
    apache = subprocess.run([apache2, "-v"], capture_output=True, text=True).stdout  # noqa: S603
    module = subprocess.run(  # noqa: S603 - fixed command
        ["dpkg-query", "-W", "-f", "${Version}", "libapache2-mod-auth-openidc"],  # noqa: S607
        capture_output=True, text=True,
    ).stdout if shutil.which("dpkg-query") else ""  # fmt: skip
    package = json.loads((BENCH / "package.json").read_text())
    return {
        "apache": apache.splitlines()[0].split(":", 1)[-1].strip() if apache else "unknown",
        "mod_auth_openidc": module or "unknown",
        "oidc-provider": package["dependencies"]["oidc-provider"],
        "python": interpreter(),
    }


def interpreter() -> str:
    """The Python every Python process here runs under: this script's own, named by its build.

    Its build moves the Python side's CPU by a fifth or more (docs/bff-benchmarks.md): name
    the real binary, not the venv's link to it.
    """
    return f"{platform.python_version()} ({os.path.realpath(sys.executable)})"


def pid_of(process: subprocess.Popen | None) -> int:
    """The pid of a process this script started (each is started before it is measured)."""
    if process is None:
        raise RuntimeError("a process was measured before it was started")
    return process.pid


def bff_gunicorn_command(service: Service) -> list[str]:
    """The command line devstack ran the BFF with, read back from /proc."""
    raw = Path(f"/proc/{pid_of(service.process)}/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part][1:]


def rotated(items: tuple, number: int) -> list:
    """Each round starts with another path, so no path always runs first after a pause."""
    shift = number % len(items)
    return list(items[shift:] + items[:shift])


def check_path(name: str, url: str, headers: dict) -> None:
    """The path answers 200 with the backend's JSON; a lost session would show here."""
    response = requests.get(url, headers=headers, timeout=10, allow_redirects=False)
    if response.status_code != 200 or "events" not in response.json():
        raise RuntimeError(f"{name}: {url} answered {response.status_code}: {response.text[:200]}")
    if name != "direct" and response.json().get("authorization") is not True:
        raise RuntimeError(f"{name}: the backend got no bearer token")


def path_cpu(run: dict, proxy: str) -> float:
    """CPU ms per request of every server on a path: the proxy, the backend and Redis."""
    cpu = run["cpu_ms_per_request"]
    return cpu[proxy] + cpu["backend"] + cpu["redis"]


def rps(run: dict) -> float:
    """Requests per second of one run."""
    return run["rps"]


def cpu_of(group: str):
    """CPU ms per request of one process group, as a figure of a run."""
    return lambda run: run["cpu_ms_per_request"][group]


def per_round(over: list[dict], under: list[dict], figure, under_figure=None) -> dict:
    """Spread over rounds of one path's figure divided by another path's, round by round."""
    under_figure = under_figure or figure
    return spread([figure(o) / under_figure(u) for o, u in zip(over, under, strict=True)])


def summarise(rounds: dict[str, list[dict]]) -> dict:
    """Per path: every round, spreads of each figure, and the BFF/Apache ratios per round."""
    summary: dict = {"paths": {}}
    for name, runs in rounds.items():
        groups = runs[0]["cpu_ms_per_request"].keys()
        commands = sorted({c for run in runs for c in run["redis_calls_per_request"]})
        summary["paths"][name] = {
            "rps": spread([r["rps"] for r in runs]),
            "p50_ms": spread([r["p50_ms"] for r in runs]),
            "p99_ms": spread([r["p99_ms"] for r in runs]),
            "errors": sum(r["non_2xx"] + r["socket_errors"] for r in runs),
            "cpu_ms_per_request": {
                g: spread([r["cpu_ms_per_request"][g] for r in runs]) for g in groups
            },
            "redis_calls_per_request": {
                c: statistics.median(r["redis_calls_per_request"].get(c, 0) for r in runs)
                for c in commands
            },
            "runs": runs,
        }
    bff, apache, minimal = rounds["bff"], rounds["apache"], rounds["minimal"]
    summary["ratios_bff_over_apache"] = {
        "throughput": per_round(bff, apache, rps),
        "proxy_cpu_per_request": per_round(bff, apache, cpu_of("bff"), cpu_of("apache")),
        "backend_cpu_per_request": per_round(bff, apache, cpu_of("backend")),
        # Proxy + backend + Redis: on busy cores, throughput goes as the inverse of this.
        "path_cpu_per_request": per_round(
            bff, apache, lambda run: path_cpu(run, "bff"), lambda run: path_cpu(run, "apache")
        ),
    }
    summary["floor"] = {
        # What the stack costs before the BFF does anything of its own...
        "minimal_proxy_cpu_over_apache": per_round(
            minimal, apache, cpu_of("minimal"), cpu_of("apache")
        ),
        # ...and what the BFF's own work adds on top of it.
        "bff_cpu_over_minimal_proxy": per_round(bff, minimal, cpu_of("bff"), cpu_of("minimal")),
        "minimal_throughput_over_apache": per_round(minimal, apache, rps),
    }
    return summary


def quiet_p50(targets: dict, args) -> dict[str, float]:
    """Median p50 at 1 connection of the BFF and of the direct call, runs alternated: the
    direct call shows how much of a change is the machine's other load."""
    p50: dict[str, list[float]] = {"bff": [], "direct": []}
    for _ in range(3):
        for name in p50:
            url, headers = targets[name]
            p50[name].append(run_load(url, headers, args.low_seconds, 1, args.python_client)
                             ["p50_ms"])  # fmt: skip
    return {name: statistics.median(values) for name, values in p50.items()}


def apache_session_memory(edge: redis.Redis, apache: str, count: int) -> dict:
    """Redis bytes and keys per mod_auth_openidc login, for comparison (real logins only)."""
    base, keys = edge.info("memory")["used_memory"], edge.dbsize()
    for _ in range(count):
        apache_sign_in(apache)
    return {
        "logins": count,
        "bytes_per_session": (edge.info("memory")["used_memory"] - base) / count,
        "keys_per_session": (edge.dbsize() - keys) / count,
    }


def session_memory(edge: redis.Redis, bff: str, targets: dict, args, counts: list[int]) -> dict:
    """Redis bytes per signed-in session at each count, and the proxy's p50 there."""
    url, headers = targets["bff"]
    user, password = demo_users()[0]
    base = edge.info("memory")["used_memory"]
    before = key_snapshot(edge)
    bff_sign_in(bff, user, password)  # the reference login whose keys the copies repeat
    copier = SessionCopier(edge, before, key_snapshot(edge))
    real, copies, levels, previous = 1, 0, [], (0, base)
    say(f"sessions: one login writes {copier.describe()}")
    copy_check = copier.check()
    for count in counts:
        wanted_real = min(count, args.real_logins) - real
        if wanted_real > 0:
            say(f"  {wanted_real} real logins")
            ok, failed, _ = parallel_logins(bff, wanted_real, args.login_workers)
            real += ok
            if failed:
                say(f"  {failed} logins failed")
        if count > real + copies:
            say(f"  {count - real - copies} copies")
            copier.copy(count - real - copies)
            copies = count - real
        used = edge.info("memory")["used_memory"]
        # Bytes the sessions added since the previous count: what "flat" is about.
        marginal = (used - previous[1]) / max(1, real + copies - previous[0])
        previous = (real + copies, used)
        busy = run_load(url, headers, args.low_seconds, args.connections, args.python_client)
        quiet = quiet_p50(targets, args)
        levels.append({
            "sessions": real + copies, "real_logins": real, "copies": copies,
            "bytes_per_session": (used - base) / (real + copies),
            "marginal_bytes_per_session": marginal,
            "used_memory": used, "keys": edge.dbsize(),
            "proxy_p50_ms_1_connection": quiet["bff"],
            "proxy_added_p50_ms_1_connection": quiet["bff"] - quiet["direct"],
            "proxy_p50_ms_16_connections": busy["p50_ms"], "proxy_rps_16_connections": busy["rps"],
        })  # fmt: skip
        say(f"  {real + copies} sessions: {levels[-1]['bytes_per_session']:.0f} B/session")
        if len(levels) == 1:  # the small level, to be swapped in again beside the large one
            small_level = dump_keys(edge, list(edge.scan_iter(count=1000)))
    say(f"  p50 at {levels[-1]['sessions']} and {levels[0]['sessions']} sessions, alternated")
    sid = cookie_value(headers["Cookie"], "bff-session")
    alternated = alternated_p50(LevelSwitch(edge, small_level, sid), targets["bff"], args)
    return {
        "method": (
            f"up to {args.real_logins} sessions by real logins (BFF + idp-mock, form posts), the "
            "rest DUMP/RESTORE copies of one real login's keys under new ids of the same length "
            "and TTL; all of demo user " + user + ", so a per-user index holds every copy; "
            "bytes = (INFO used_memory - before the first login) / sessions"
        ),
        "one_login_writes": copier.describe(),
        "copy_check": copy_check,
        "levels": levels,
        # Both levels in one Redis, swapped between rounds (LevelSwitch): the figure to trust.
        "p50_1_connection_alternated": alternated,
        "p50_ratio_last_over_first": {
            "1_connection": levels[-1]["proxy_p50_ms_1_connection"]
            / levels[0]["proxy_p50_ms_1_connection"],
            "added_1_connection": levels[-1]["proxy_added_p50_ms_1_connection"]
            / levels[0]["proxy_added_p50_ms_1_connection"],
            "16_connections": levels[-1]["proxy_p50_ms_16_connections"]
            / levels[0]["proxy_p50_ms_16_connections"],
        },
    }


# ---------------------------------------------------------------- report


def report(results: dict) -> None:
    """Print the figures as a few short tables."""
    t = results["throughput"]
    machine = results["machine"]
    print(f"\nBFF benchmark: {results['load_tool']}, {results['connections']} connections, "
          f"{results['rounds']} interleaved rounds x {results['seconds_per_run']}s per path; "
          f"{machine['cpus']} CPUs, load average at start {machine['loadavg_at_start'][0]:.1f};"
          f" run took {results['seconds']}s")  # fmt: skip
    print(f"backend: {results.get('backend', 'unknown')}")
    print(
        f"load average at end {machine['loadavg_at_end'][0]:.1f}; "
        + ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    )
    print(f"BFF started as: {results['bff_command']}")
    print("\nper path (median over rounds [min-max]); CPU ms per request by process group")
    print(f"{'path':7} {'req/s':>20} {'p50 ms':>8} {'p99 ms':>8} {'err':>4} {'proxy CPU':>18}"
          f" {'backend CPU':>12} {'redis CPU':>10}  Redis calls/request")  # fmt: skip
    for name in PATHS:
        p = t["paths"][name]
        cpu = p["cpu_ms_per_request"]
        proxy = None if name == "direct" else name
        proxy_text = rng(cpu[proxy], ".3f") if proxy else "-"
        calls = p["redis_calls_per_request"]
        each = [f"{c} {v:.2f}" for c, v in calls.items() if c != "total" and v >= 0.01]
        calls_text = f"{calls.get('total', 0):.2f} (" + ", ".join(each) + ")"
        print(f"{name:7} {rng(p['rps'], '.0f'):>20} {p['p50_ms']['median']:8.2f} "
              f"{p['p99_ms']['median']:8.2f} {p['errors']:4} {proxy_text:>18} "
              f"{cpu['backend']['median']:12.3f} {cpu['redis']['median']:10.3f}"
              f"  {calls_text}")  # fmt: skip
    r = t["ratios_bff_over_apache"]
    print("\nBFF / Apache, per round (median [min-max]):")
    print(f"  throughput              {rng(r['throughput'], '.2f')}   (target >= 1.0)")
    print(f"  proxy CPU per request   {rng(r['proxy_cpu_per_request'], '.2f')}   "
          f"(target <= {CPU_TARGET})")  # fmt: skip
    print(f"  backend CPU per request {rng(r['backend_cpu_per_request'], '.2f')}")
    path = r["path_cpu_per_request"]
    print(f"  servers' CPU per request along the path (proxy + backend + Redis) "
          f"{rng(path, '.2f')}: on saturated cores shared with the backend, throughput "
          f"can be at most about 1/{path['median']:.2f} = {1 / path['median']:.2f}x")  # fmt: skip
    floor = t["floor"]
    print("\nthe floor: a WSGI proxy doing only the BFF's I/O (scripts/bench/minimal_proxy.py)"
          " under the BFF's gunicorn configuration, median [min-max]:")  # fmt: skip
    over_apache = floor["minimal_proxy_cpu_over_apache"]
    print(f"  its CPU per request / Apache's {rng(over_apache, '.2f')}   "
          f"({floor_verdict(over_apache, CPU_TARGET)})")  # fmt: skip
    print(f"  its throughput / Apache's      {rng(floor['minimal_throughput_over_apache'], '.2f')}")
    print(f"  BFF CPU per request / its      {rng(floor['bff_cpu_over_minimal_proxy'], '.2f')}"
          "   (what sessions, checks, refresh and logs add)")  # fmt: skip
    low, added = results["low_load_p50_ms"], results["low_load_added_p50_ms"]
    print("\nlow load (1 connection), p50 ms median [min-max]:")
    for name in PATHS:
        extra = f"   added {added[name]:+.2f} ms" if name in added else ""
        print(f"  {name:7} {rng(low[name], '.2f')}{extra}")
    print("  (target: BFF added p50 <= 1 ms)")
    lg = results["logins"]
    print(f"\nfull logins of {lg.get('user', 'alice')} (BFF + idp-mock, each by a new form "
          f"browser, {lg['workers']} processes, after the session levels): "
          f"{lg['per_second']:.1f}/s ({lg['succeeded']} in {lg['seconds']:.1f}s, "
          f"{lg['failed']} failed); CPU ms per login: BFF {lg['cpu_ms_per_login']['bff']:.1f}, "
          f"idp-mock {lg['cpu_ms_per_login']['idp']:.1f}, this script's login processes "
          f"{lg['cpu_ms_per_login']['client']:.1f}   (target >= 100/s)")  # fmt: skip
    s = results["sessions"]
    print(f"\nRedis per signed-in BFF session ({s['method']}):")
    print(f"  one login writes {s['one_login_writes']}; {s['copy_check']}")
    print(f"  {'sessions':>9} {'real':>6} {'copies':>7} {'bytes/session':>14} {'marginal':>9}"
          f" {'keys':>8} {'p50 ms 1 conn':>14} {'(added)':>8} {'p50 ms 16 conns':>16}"
          f" {'req/s 16':>9}")  # fmt: skip
    for level in s["levels"]:
        print(f"  {level['sessions']:9} {level['real_logins']:6} {level['copies']:7} "
              f"{level['bytes_per_session']:14.0f} {level['marginal_bytes_per_session']:9.0f}"
              f" {level['keys']:8} "
              f"{level['proxy_p50_ms_1_connection']:14.2f} "
              f"{level['proxy_added_p50_ms_1_connection']:+8.2f} "
              f"{level['proxy_p50_ms_16_connections']:16.2f} "
              f"{level['proxy_rps_16_connections']:9.0f}")  # fmt: skip
    a = results["apache_sessions"]
    print(
        f"  for comparison, Apache + mod_auth_openidc: {a['bytes_per_session']:.0f} B and "
        f"{a['keys_per_session']:.1f} keys per session ({a['logins']} real logins)"
    )
    ratio = s["p50_ratio_last_over_first"]
    print(f"  proxy p50 at {s['levels'][-1]['sessions']} vs {s['levels'][0]['sessions']} sessions,"
          f" levels minutes apart: x{ratio['1_connection']:.2f} at 1 connection (added p50"
          f" x{ratio['added_1_connection']:.2f}), x{ratio['16_connections']:.2f} at 16"
          "   (targets: <= 4096 B/session, flat; p50 ratio <= 1.1)")  # fmt: skip
    both = s["p50_1_connection_alternated"]
    print(f"  the same two levels swapped in one Redis (SWAPDB) between {results['rounds']} rounds"
          f" at 1 connection: p50 {rng(both['large'], '.2f')} against {rng(both['small'], '.2f')}"
          f" ms, x{rng(both['ratio'], '.2f')}   (target <= 1.1)")  # fmt: skip


def floor_verdict(over_apache: dict, target: float) -> str:
    """Where the BFF's CPU target lies against the floor's spread over rounds."""
    if over_apache["min"] > target:
        return f"the BFF's target {target} is below this floor in every round"
    if over_apache["max"] <= target:
        return f"at or under the BFF's target {target} in every round"
    return f"the BFF's target {target} is inside this spread"


def rng(values: dict, fmt: str) -> str:
    """'median [min-max]'."""
    return f"{values['median']:{fmt}} [{values['min']:{fmt}}-{values['max']:{fmt}}]"


if __name__ == "__main__":
    raise SystemExit(main())
