"""The machine-to-machine job: client credentials (RFC 6749 §4.4), one token for many calls."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
import requests
from authlib.integrations.base_client import OAuthError

from reminder_job.__main__ import main
from reminder_job.config import Config, ConfigError
from reminder_job.job import ReminderJob
from reminder_job.token import ServiceToken
from tests.unit.api.fake_issuer import bearer

ENV = {
    "OIDC_ISSUER": "http://127.0.0.1:8002",
    "REMINDER_CLIENT_ID": "reminder-job",
    "REMINDER_CLIENT_SECRET": "reminder-job-secret",
    "API_URL": "http://127.0.0.1:8001",
}


def add_event(api_url, issuer, sub, title, minutes):
    start = datetime.now(UTC) + timedelta(minutes=minutes)
    event = {
        "title": title,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    response = requests.post(
        f"{api_url}/events", json=event, headers=bearer(issuer.user_token(sub)), timeout=5
    )
    assert response.status_code == 201


def test_rfc6749_client_credentials_token_is_requested_once_for_many_calls(config, issuer):
    job = ReminderJob(config)
    for _ in range(10):
        job.upcoming()
    assert issuer.hits["/token"] == 1


def test_token_is_renewed_shortly_before_expiry(config, issuer):
    now = [1_000.0]
    token = ServiceToken(config, clock=lambda: now[0])
    first = token.get()
    now[0] += 300 - 31  # the fake issuer's tokens live 300 s; renewal margin is 30 s
    assert token.get() == first
    now[0] += 2
    assert token.get() != first
    assert issuer.hits["/token"] == 2


def test_job_reads_upcoming_events_of_all_users_with_their_sub(config, issuer, api_url):
    add_event(api_url, issuer, "alice", "standup", 10)
    add_event(api_url, issuer, "bob", "lunch", 20)
    add_event(api_url, issuer, "bob", "next week", 7 * 24 * 60)
    reminders = ReminderJob(config).run_once()
    assert [(r["sub"], r["title"]) for r in reminders] == [("alice", "standup"), ("bob", "lunch")]


def test_token_refused_by_the_api_is_renewed_once(config, issuer):
    issuer.service_audience = "another-api"  # the first token will be refused with a 401
    job = ReminderJob(config)
    job.token.get()
    issuer.service_audience = "calendar-api"
    assert job.upcoming() == []
    assert issuer.hits["/token"] == 2


def test_wrong_client_secret_fails_with_the_oauth_error(config):
    job = ReminderJob(dataclasses.replace(config, client_secret="wrong"))
    with pytest.raises(OAuthError, match="invalid_client"):
        job.upcoming()


def test_main_once_exits_zero_and_logs_the_reminders(config, issuer, api_url, caplog):
    add_event(api_url, issuer, "alice", "standup", 10)
    env = {**ENV, "OIDC_ISSUER": config.issuer, "API_URL": config.api_url}
    caplog.set_level("INFO", logger="reminder_job")
    assert main(["--once"], env) == 0
    assert "reminder for alice: 'standup'" in caplog.text


def test_main_once_exits_non_zero_when_the_api_refuses(config, caplog):
    env = {**ENV, "OIDC_ISSUER": config.issuer, "API_URL": config.api_url, "REMINDER_SCOPE": "x"}
    assert main(["--once"], env) == 1
    assert "insufficient_scope" in caplog.text


def test_main_without_configuration_exits_2_naming_the_variable(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--once"], {})
    assert exited.value.code == 2
    assert "OIDC_ISSUER" in capsys.readouterr().err


@pytest.mark.parametrize("missing", sorted(ENV))
def test_config_missing_required_variable_fails_naming_it(missing):
    with pytest.raises(ConfigError, match=missing):
        Config.from_env({k: v for k, v in ENV.items() if k != missing})


def test_configured_token_params_reach_the_token_request(config, issuer):
    # Auth0's client credentials request names the API as `audience`.
    config = dataclasses.replace(config, token_params=(("audience", "calendar-api"),))
    ServiceToken(config).get()
    assert issuer.token_requests[-1]["audience"] == "calendar-api"
    assert issuer.token_requests[-1]["grant_type"] == "client_credentials"


@pytest.mark.parametrize("params", ["grant_type=password", "scope=everything"])
def test_token_params_may_not_replace_the_grants_own(params):
    with pytest.raises(ConfigError, match="REMINDER_TOKEN_PARAMS"):
        Config.from_env(ENV | {"REMINDER_TOKEN_PARAMS": params})
