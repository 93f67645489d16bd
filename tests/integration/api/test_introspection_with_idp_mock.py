"""API_TOKEN_MODE=introspection against the real idp-mock: RFC 7662 with the API's own client."""

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from tests.support.stack import CSRF, running_stack

INTROSPECTION = {
    "API_TOKEN_MODE": "introspection",
    "API_CLIENT_ID": "calendar-api",
    "API_CLIENT_SECRET": "calendar-api-secret",
}


@pytest.fixture(scope="module")
def stack(redis_server, tmp_path_factory):
    """The whole system, its API checking every token by introspection."""
    state = tmp_path_factory.mktemp("introspection")
    with running_stack(redis_server.url, state, extra={"api": INTROSPECTION}) as running:
        yield running


def service_token(stack, scope="calendar:reminders"):
    session = OAuth2Session("reminder-job", "reminder-job-secret", scope=scope)
    return session.fetch_token(f"{stack.idp}/token", grant_type="client_credentials")


def test_rfc7662_user_calls_through_the_bff_work_in_introspection_mode(stack):
    alice = stack.signed_in("alice")
    event = {"title": "Via introspection", "start": "2026-12-01T09:00:00Z",
             "end": "2026-12-01T10:00:00Z"}  # fmt: skip
    assert alice.post(f"{stack.bff}/api/events", json=event, headers=CSRF).status_code == 201
    events = alice.get(f"{stack.bff}/api/events", headers=CSRF).json()["events"]
    assert [e["title"] for e in events] == ["Via introspection"]
    bob = stack.signed_in("bob")
    assert bob.get(f"{stack.bff}/api/events", headers=CSRF).json()["events"] == []


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [("/reminders/upcoming", 200, None), ("/events", 403, "access_denied")],
)
def test_rfc7662_service_token_gets_the_same_answers_as_in_jwt_mode(stack, path, status, error):
    headers = {"Authorization": f"Bearer {service_token(stack)['access_token']}"}
    response = requests.get(stack.api + path, headers=headers, timeout=10)
    assert response.status_code == status
    assert response.json().get("error") == error


def test_rfc7662_unknown_token_is_invalid_token(stack):
    response = requests.get(
        stack.api + "/events", headers={"Authorization": "Bearer not-a-real-token"}, timeout=10
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
