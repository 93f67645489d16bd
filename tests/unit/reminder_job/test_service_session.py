"""The job's token session against token responses the fake issuer never sends (RFC 6749 §5.1)."""

import secrets
from types import SimpleNamespace

import pytest
from authlib.integrations.base_client import OAuthError
from authlib.oauth2.rfc6749 import wrappers
from flask import Flask, jsonify, request

from reminder_job.config import Config
from reminder_job.job import ReminderJob
from tests.support.http_server import ThreadedServer


@pytest.fixture
def clock(monkeypatch):
    """Authlib's clock (OAuth2Token reads it when a token arrives and when it checks expiry)."""
    now = [1_000_000.0]
    monkeypatch.setattr(wrappers, "time", SimpleNamespace(time=lambda: now[0]))
    return now


@pytest.fixture
def provider():
    """Discovery, a token endpoint whose answer the test shapes, and the API's service route."""
    app = Flask("provider")
    state = SimpleNamespace(grants=[], extra={"expires_in": 300}, refuse=False)

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(token_endpoint=request.host_url + "token")

    @app.post("/token")
    def token():
        state.grants.append(request.form["grant_type"])
        if state.refuse:
            return jsonify(error="invalid_client", error_description="client disabled"), 401
        answer = {"access_token": secrets.token_hex(8), "token_type": "Bearer", **state.extra}
        return jsonify({k: v for k, v in answer.items() if v is not None})

    @app.get("/reminders/upcoming")
    def upcoming():
        return jsonify(reminders=[])

    with ThreadedServer(app) as server:
        state.url = server.url
        yield state


def job_for(provider) -> ReminderJob:
    return ReminderJob(
        Config(issuer=provider.url, client_id="job", client_secret="s", api_url=provider.url)
    )


def test_rfc6749_4_4_3_refresh_token_sent_with_client_credentials_is_never_used(provider, clock):
    provider.extra["refresh_token"] = "a-refresh-token-the-job-must-not-use"
    job = job_for(provider)
    job.upcoming()
    clock[0] += 300
    job.upcoming()
    assert provider.grants == ["client_credentials", "client_credentials"]


def test_token_without_expires_in_is_assumed_to_live_60_seconds(provider, clock):
    provider.extra["expires_in"] = None
    job = job_for(provider)
    job.upcoming()
    clock[0] += 29
    job.upcoming()
    assert len(provider.grants) == 1
    clock[0] += 2  # past half of the assumed 60 s
    job.upcoming()
    assert len(provider.grants) == 2


def test_renewal_refused_by_the_token_endpoint_raises_its_oauth_error(provider, clock):
    job = job_for(provider)
    job.upcoming()
    provider.refuse = True  # e.g. the job's client was disabled meanwhile
    clock[0] += 300
    with pytest.raises(OAuthError, match="invalid_client: client disabled"):
        job.upcoming()
