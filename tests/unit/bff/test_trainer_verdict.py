"""Trainer mode shows the API's own verification record (its Trainer-Verdict header), as made."""

import json

import pytest
from flask import Flask, jsonify, request

from bff import create_app
from tests.support.http_server import ThreadedServer

from .conftest import CSRF, body, make_config, sign_in

RECORD = {
    "source": "verified",
    "decision": "refused",
    "checks": [
        {"name": "format", "outcome": "passed", "detail": "a compact JWS"},
        {"name": "typ", "outcome": "failed", "detail": "JWT, not at+jwt"},
        {"name": "aud", "outcome": "skipped", "detail": "not checked: typ failed first"},
    ],
}


def fake_api() -> Flask:
    """An API that answers every call with 200 and its verifier's record in the header."""
    app = Flask("fake_api")

    @app.get("/.well-known/openid-configuration")
    def discovery():
        issuer = request.host_url.rstrip("/")
        return jsonify(issuer=issuer, authorization_endpoint=issuer + "/authorize")

    @app.get("/events")
    def events():
        response = jsonify(events=[])
        response.headers["Trainer-Verdict"] = json.dumps(RECORD, separators=(",", ":"))
        return response

    return app


@pytest.fixture
def trainer_client(redis_url):
    with ThreadedServer(fake_api()) as api:
        yield create_app(make_config(redis_url, api.url, trainer_mode=True)).test_client()


def test_api_call_step_lists_each_check_in_the_apis_order_with_its_outcome(trainer_client):
    sign_in(trainer_client)
    assert trainer_client.get("/api/events", headers=CSRF).status_code == 200
    events = body(trainer_client.get("/bff/trainer/timeline", headers=CSRF))["events"]
    call = next(event for event in events if event["kind"] == "api_call")
    shown = [(c["name"], c["outcome"], c["result"], c["detail"]) for c in call["checks"]]
    assert shown == [
        ("format", "passed", "ok", "a compact JWS"),
        ("typ", "failed", "failed", "JWT, not at+jwt"),
        ("aud", "skipped", "skipped", "not checked: typ stopped the token first"),
    ]
    assert call["api_verdict"] == {"source": "verified", "decision": "refused"}


def test_the_header_never_reaches_the_browser(trainer_client):
    sign_in(trainer_client)
    assert "Trainer-Verdict" not in trainer_client.get("/api/events", headers=CSRF).headers
