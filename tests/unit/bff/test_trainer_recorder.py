"""Trainer mode's recorder: secrets redacted, timelines bounded, absent unless switched on."""

import json

import pytest
import redis

from bff import create_app
from bff.trainer.explain import s256
from bff.trainer.timeline_store import TimelineStore

from .conftest import CSRF, body, make_config


@pytest.fixture
def trainer_app(redis_url, api_server):
    return create_app(make_config(redis_url, api_server.url, trainer_mode=True))


def trainer_keys(redis_url: str) -> list[bytes]:
    return list(redis.Redis.from_url(redis_url).scan_iter("bff:trainer:*"))


def test_recorder_redacts_the_client_secret_by_name_and_wherever_its_value_appears(trainer_app):
    recorder = trainer_app.extensions["bff.trainer"]
    with trainer_app.test_request_context("/"):
        recorder.record("debug", {"client_secret": "s3cret", "url": "https://x/?p=s3cret"}, "t1")
        recorder.record("token_request", {"code": "c", "code_verifier": "v"}, "t1")
    events = recorder.store.events("t1")
    assert events[0]["client_secret"] == "[redacted]"
    assert events[0]["url"] == "https://x/?p=[redacted]"
    rows = {row["name"]: row["value"] for row in events[1]["params"]}
    assert rows["client_secret"] == "[redacted]" and rows["code_verifier"] == "v"
    assert "s3cret" not in json.dumps(events)


def test_timeline_keeps_only_the_newest_events_and_expires(redis_url):
    store = TimelineStore(redis.Redis.from_url(redis_url), max_events=3)
    for number in range(5):
        store.append("t1", {"kind": f"step-{number}"})
    assert [event["seq"] for event in store.events("t1")] == [3, 4, 5]
    assert [event["seq"] for event in store.events("t1", after=4)] == [5]
    assert 0 < redis.Redis.from_url(redis_url).ttl("bff:trainer:timeline:t1") <= 8 * 3600


def test_pkce_s256_matches_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_trainer_endpoints_are_404_and_nothing_is_recorded_when_trainer_mode_is_off(
    app, client, redis_url
):
    assert not app.extensions["bff"].config.trainer_mode
    assert client.get("/bff/trainer/status", headers=CSRF).status_code == 404
    assert client.get("/bff/trainer/timeline", headers=CSRF).status_code == 404
    assert client.get("/bff/login").status_code == 302
    assert trainer_keys(redis_url) == []
    with client.session_transaction() as session:
        assert "trace_id" not in session


def test_login_start_is_recorded_on_this_sessions_timeline_with_its_pkce_pair(trainer_app):
    client = trainer_app.test_client()
    assert client.get("/bff/login").status_code == 302
    events = body(client.get("/bff/trainer/timeline", headers=CSRF))["events"]
    assert [event["kind"] for event in events] == ["authorization_request"]
    assert s256(events[0]["pkce"]["verifier"]) == events[0]["pkce"]["challenge"]
    other = trainer_app.test_client()
    assert body(other.get("/bff/trainer/timeline", headers=CSRF))["events"] == []


def test_step_mode_shows_a_pause_page_whose_next_goes_to_the_idp(trainer_app, api_server):
    client = trainer_app.test_client()
    client.put("/bff/trainer/step-mode", json={"on": True}, headers=CSRF)
    page = client.get("/bff/login")
    assert page.status_code == 200 and b"Trainer mode" in page.data
    assert f'href="{api_server.url}/authorize?'.encode() in page.data
    assert page.headers["Cache-Control"] == "no-store"


def test_trainer_calls_need_the_csrf_header_and_actions_a_signed_in_session(trainer_app):
    client = trainer_app.test_client()
    assert client.get("/bff/trainer/status").status_code == 403
    assert client.post("/bff/trainer/expire-now", headers=CSRF).status_code == 401
    assert client.post("/bff/trainer/attacks/csrf", headers=CSRF).status_code == 401


def test_error_pages_carry_the_trainer_banner_in_trainer_mode(trainer_app):
    response = trainer_app.test_client().get("/bff/callback", query_string={"state": "unknown"})
    assert response.status_code == 400 and b"Trainer mode" in response.data


def test_error_pages_have_no_trainer_banner_when_it_is_off(client):
    response = client.get("/bff/callback", query_string={"state": "unknown"})
    assert response.status_code == 400 and b"Trainer mode" not in response.data
