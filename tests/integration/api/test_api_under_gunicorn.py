"""The API as deployed: gunicorn with several workers sharing one SQLite file."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from devstack.ports import free_port
from tests.unit.api.fake_issuer import AUDIENCE, FakeIssuer, bearer

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def issuer():
    """The IdP stand-in over HTTP; integration with the real idp-mock lives in the stack tests."""
    server = FakeIssuer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api(issuer, tmp_path_factory):
    """``gunicorn 'api:create_app()'`` with three workers, started exactly as the README says."""
    port = free_port()
    env = {
        **os.environ,
        "OIDC_ISSUER": issuer.url,
        "API_AUDIENCE": AUDIENCE,
        "API_DB_PATH": str(tmp_path_factory.mktemp("api") / "api.sqlite3"),
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [
        gunicorn,
        "--no-control-socket",
        "-w",
        "3",
        "-b",
        f"127.0.0.1:{port}",
        "api:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/healthz", timeout=1)
            break
        except requests.RequestException:  # not listening yet, or still booting
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_concurrent_writes_through_several_workers_are_all_stored(api, issuer):
    headers = bearer(issuer.user_token("carol"))

    def create(n):
        event = {"title": f"e{n}", "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z"}
        return requests.post(f"{api}/events", json=event, headers=headers, timeout=10).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(create, range(60)))
    assert statuses == [201] * 60
    events = requests.get(f"{api}/events", headers=headers, timeout=10).json()["events"]
    assert sorted(e["title"] for e in events) == sorted(f"e{n}" for n in range(60))


def test_rfc6750_answers_survive_gunicorn(api, issuer):
    missing = requests.get(f"{api}/events", timeout=5)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="calendar-api"'
    expired = requests.get(f"{api}/events", headers=bearer(issuer.mint(exp=1)), timeout=5)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]


def test_two_authorization_headers_are_refused_by_the_deployed_api(api, issuer):
    token = issuer.user_token()
    assert _raw_get_status(api, [("Authorization", f"Bearer {token}")] * 2) == 400


def _raw_get_status(url, headers):
    """GET /events with repeated headers, which requests cannot send, over a plain socket."""
    parts = urlsplit(url)
    lines = ["GET /events HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])
