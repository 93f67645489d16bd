"""Key rotation at idp-mock (its `rotate-keys` command) does not make one valid API call fail."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from tests.support.stack import CSRF, running_stack


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """A system of its own: rotating keys must not reach into other tests' stack."""
    with running_stack(redis_server.url, tmp_path_factory.mktemp("rotation")) as running:
        yield running


def service_call(stack):
    session = OAuth2Session("reminder-job", "reminder-job-secret", scope="calendar:reminders")
    token = session.fetch_token(f"{stack.idp}/token", grant_type="client_credentials")
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    return requests.get(f"{stack.api}/reminders/upcoming", headers=headers, timeout=10)


def rotate_keys(stack):
    flask = str(Path(sys.executable).parent / "flask")
    command = [flask, "--app", "idp_mock:create_app()", "rotate-keys"]
    env = stack.services["idp"].env
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def test_rfc8725_rotated_key_is_picked_up_without_a_failing_request(stack):
    alice = stack.signed_in("alice")
    assert alice.get(f"{stack.bff}/api/events", headers=CSRF, timeout=10).status_code == 200
    assert service_call(stack).status_code == 200
    assert "new signing key" in rotate_keys(stack)
    # A token signed by the new key, whose kid the API has never seen...
    assert service_call(stack).status_code == 200
    # ...and the user's token signed by the old key, still published, both keep working.
    assert alice.get(f"{stack.bff}/api/events", headers=CSRF, timeout=10).status_code == 200
