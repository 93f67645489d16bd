"""The reminder job's session renews its client-credentials token at the real idp-mock, over HTTP.

Authlib renews the token itself (`ensure_active_token`) once it is within the session's leeway
of expiry: half the lifetime for a short-lived token. This IdP issues access tokens that live
4 seconds, so the renewal is seen in real time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from idp_mock.config import DEFAULT_CONFIG_FILE

from devstack.ports import free_port
from reminder_job.config import Config
from reminder_job.session import ServiceSession, discover_token_endpoint

from .conftest import start, wait_healthy

LIFETIME = 4  # seconds: the session renews after LIFETIME / 2
API_AUTH = ("calendar-api", "calendar-api-secret")  # introspects tokens meant for it


@pytest.fixture(scope="module")
def issuer(redis_server, tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("idp-short-tokens")
    config = tmp / "config.yaml"
    text = DEFAULT_CONFIG_FILE.read_text()
    assert "  access_token: 300\n" in text
    config.write_text(text.replace("  access_token: 300\n", f"  access_token: {LIFETIME}\n"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/bin:/bin",
        "IDP_ISSUER": url,
        "IDP_CONFIG": str(config),
        "IDP_KEYS_DIR": str(tmp / "keys"),
        "IDP_TEST_CONTROLS": "1",
        "REDIS_URL": redis_server.url.rsplit("/", 1)[0] + "/6",  # a database of its own
    }
    process = start(port, 1, env, tmp / "idp.log")
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def client_credentials_calls(issuer: str) -> int:
    return requests.get(f"{issuer}/test/counters", timeout=5).json().get("client_credentials", 0)


def active(issuer: str, token: str) -> bool:
    answer = requests.post(f"{issuer}/introspect", data={"token": token}, auth=API_AUTH, timeout=5)
    return answer.json()["active"]


def test_service_token_is_renewed_by_client_credentials_before_it_expires(issuer):
    requests.post(f"{issuer}/test/reset", timeout=5)
    config = Config(
        issuer=issuer,
        client_id="reminder-job",
        client_secret="reminder-job-secret",
        api_url="http://127.0.0.1:1",  # not called here
    )
    session = ServiceSession(config, discover_token_endpoint(issuer, requests.Session()))
    session.ensure_token()
    first = session.token["access_token"]
    assert session.get(f"{issuer}/jwks").status_code == 200  # any request checks the token
    assert session.token["access_token"] == first
    assert client_credentials_calls(issuer) == 1

    time.sleep(LIFETIME / 2 + 1.1)  # inside the leeway, before the token expires
    assert session.get(f"{issuer}/jwks").status_code == 200
    renewed = session.token["access_token"]
    assert renewed != first
    assert client_credentials_calls(issuer) == 2
    assert "refresh_token" not in session.token
    assert active(issuer, renewed)
