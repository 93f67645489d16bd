"""The API and the reminder job with the real idp-mock: real client credentials, real tokens."""

from datetime import UTC, datetime, timedelta

import requests
from authlib.integrations.requests_client import OAuth2Session

from reminder_job.config import Config
from reminder_job.job import ReminderJob
from tests.support.stack import CSRF

# alice's subject in idp-mock/demo-config.yaml: the API and the job only ever see this, never
# the username.
ALICE_SUB = "5f3c1b8e-2d4a-4c6b-9f1e-7a8d2c3b4e5f"


def job_config(stack):
    return Config(
        issuer=stack.idp,
        client_id="reminder-job",
        client_secret="reminder-job-secret",
        api_url=stack.api,
    )


def service_token(stack):
    session = OAuth2Session("reminder-job", "reminder-job-secret", scope="calendar:reminders")
    return session.fetch_token(f"{stack.idp}/token", grant_type="client_credentials")


def test_reminder_job_sees_an_event_a_user_added_through_the_bff(stack):
    http = stack.signed_in("alice")
    start = datetime.now(UTC) + timedelta(minutes=15)
    event = {
        "title": "Reminder me",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    created = http.post(f"{stack.bff}/api/events", json=event, headers=CSRF, timeout=10)
    assert created.status_code == 201, created.text
    reminders = ReminderJob(job_config(stack)).upcoming()
    mine = [r for r in reminders if r["title"] == "Reminder me"]
    assert [r["sub"] for r in mine] == [ALICE_SUB]


def test_reminder_job_requests_one_token_for_many_calls(stack, monkeypatch):
    calls = []
    real_fetch = OAuth2Session.fetch_token
    monkeypatch.setattr(
        OAuth2Session, "fetch_token", lambda *a, **k: calls.append(1) or real_fetch(*a, **k)
    )
    job = ReminderJob(job_config(stack))
    for _ in range(5):
        job.upcoming()
    assert len(calls) == 1


def test_idp_mock_service_token_is_refused_on_user_routes(stack):
    token = service_token(stack)["access_token"]
    response = requests.get(
        f"{stack.api}/events", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 403
    assert response.json()["error"] == "access_denied"


def test_idp_mock_service_token_has_no_refresh_token(stack):
    assert "refresh_token" not in service_token(stack)
