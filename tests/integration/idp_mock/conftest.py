"""idp-mock under gunicorn over real HTTP: two processes (one with two workers), one Redis."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from idp_mock.config import DEFAULT_CONFIG_FILE

from devstack.ports import free_port

ROOT = Path(__file__).resolve().parents[3]
BFF_ORIGIN = "http://localhost:8000"


@dataclass(frozen=True)
class RunningIdp:
    issuer: str  # process A: two gunicorn workers, the URL every client discovers
    other: str  # process B: same issuer, keys and Redis; proves state is shared
    redirect_uri: str
    post_logout_redirect_uri: str
    logout_tokens: list[str] = field(default_factory=list)  # back-channel POSTs received


def receive_backchannel_logouts(port: int, tokens: list[str]) -> ThreadingHTTPServer:
    """A stand-in relying party that records the logout tokens POSTed to it."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            tokens.extend(parse_qs(body).get("logout_token", []))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Poll /healthz until it answers, with a deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


def start(port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--no-control-socket",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "idp_mock:create_app()",
    ]
    with open(log, "w") as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def idp(redis_server, tmp_path_factory) -> Iterator[RunningIdp]:
    tmp = tmp_path_factory.mktemp("idp-mock")
    rp_port = free_port()
    rp_origin = f"http://localhost:{rp_port}"  # only back-channel POSTs are received there
    config = tmp / "config.yaml"
    config.write_text(DEFAULT_CONFIG_FILE.read_text().replace(BFF_ORIGIN, rp_origin))
    port_a, port_b = free_port(), free_port()
    issuer = f"http://127.0.0.1:{port_a}"
    env = {
        "PATH": "/usr/bin:/bin",
        "IDP_ISSUER": issuer,
        "IDP_CONFIG": str(config),
        "IDP_KEYS_DIR": str(tmp / "keys"),
        "IDP_TEST_CONTROLS": "1",
        # A database of its own, so other tiers' flushes and IdPs never meet this one.
        "REDIS_URL": redis_server.url.rsplit("/", 1)[0] + "/5",
    }
    processes = [start(port_a, 2, env, tmp / "a.log")]
    wait_healthy(issuer, processes[0])  # A creates the key; B must reuse it
    processes.append(start(port_b, 1, env, tmp / "b.log"))
    tokens: list[str] = []
    receiver = receive_backchannel_logouts(rp_port, tokens)
    try:
        wait_healthy(f"http://127.0.0.1:{port_b}", processes[1])
        other = f"http://127.0.0.1:{port_b}"
        yield RunningIdp(issuer, other, f"{rp_origin}/bff/callback", f"{rp_origin}/", tokens)
    finally:
        receiver.shutdown()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
