"""Test controls: off by default; fail or delay the next token response; count calls."""

import pytest
from idp_mock import create_app

SERVICE = ("reminder-job", "reminder-job-secret")
CC = {"grant_type": "client_credentials"}


@pytest.fixture
def controlled(config):
    return create_app(config.model_copy(update={"test_controls": True})).test_client()


def test_test_controls_are_off_by_default(client):
    assert client.get("/test/counters").status_code == 404
    assert client.post("/test/fail-next", json={"error": "invalid_grant"}).status_code == 404


def test_counters_count_token_calls_per_grant_type(controlled):
    controlled.post("/token", data=CC, auth=SERVICE)
    controlled.post("/token", data=CC, auth=SERVICE)
    controlled.post(
        "/token", data={"grant_type": "refresh_token", "refresh_token": "x"}, auth=SERVICE
    )
    assert controlled.get("/test/counters").get_json() == {
        "client_credentials": 2,
        "refresh_token": 1,
    }
    controlled.post("/test/reset")
    assert controlled.get("/test/counters").get_json() == {}


@pytest.mark.parametrize(
    "error, status",
    [("invalid_grant", 400), ("invalid_client", 401), ("temporarily_unavailable", 503)],
)
def test_fail_next_makes_exactly_the_next_token_response_fail(controlled, error, status):
    assert (
        controlled.post("/test/fail-next", json={"error": error, "status": status}).status_code
        == 201
    )
    failed = controlled.post("/token", data=CC, auth=SERVICE)
    assert failed.status_code == status and failed.get_json()["error"] == error
    assert failed.headers["Cache-Control"] == "no-store"
    assert controlled.post("/token", data=CC, auth=SERVICE).status_code == 200


def test_fail_next_can_target_one_grant_type(controlled):
    controlled.post(
        "/test/fail-next", json={"error": "invalid_grant", "grant_type": "refresh_token"}
    )
    assert controlled.post("/token", data=CC, auth=SERVICE).status_code == 200
    response = controlled.post(
        "/token", auth=SERVICE, data={"grant_type": "refresh_token", "refresh_token": "x"}
    )
    assert response.get_json()["error_description"] == "failure injected by test"


def test_delay_holds_the_next_token_response(controlled, monkeypatch):
    slept = []
    monkeypatch.setattr("idp_mock.testing.time.sleep", slept.append)
    controlled.post("/test/delay", json={"seconds": 1.5})
    assert controlled.post("/token", data=CC, auth=SERVICE).status_code == 200
    controlled.post("/token", data=CC, auth=SERVICE)
    assert slept == [1.5]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/test/fail-next", {}),
        ("/test/delay", {}),
        ("/test/delay", {"seconds": "soon"}),
        ("/test/delay", {"seconds": 999}),
        ("/test/fail-next", {"error": "x", "status": 200}),
    ],
)
def test_bad_test_control_input_is_400(controlled, path, body):
    response = controlled.post(path, json=body)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"
