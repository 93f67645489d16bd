"""The machine-to-machine job: client credentials (RFC 6749 §4.4), one token for many calls."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
from authlib.integrations.base_client import OAuthError
from authlib.oauth2.rfc6749 import wrappers

from reminder_job.__main__ import main
from reminder_job.config import Config, ConfigError
from reminder_job.job import ReminderJob
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


@pytest.fixture
def clock(monkeypatch):
    """Authlib's clock (OAuth2Token reads it when a token arrives and when it checks expiry)."""
    now = [1_000_000.0]
    monkeypatch.setattr(wrappers, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def test_token_is_renewed_shortly_before_expiry(config, issuer, clock):
    job = ReminderJob(config)
    job.upcoming()
    first = job.session.token["access_token"]
    clock[0] += 300 - 31  # the fake issuer's tokens live 300 s; renewal margin is 30 s
    job.upcoming()
    assert job.session.token["access_token"] == first
    clock[0] += 2
    job.upcoming()
    assert job.session.token["access_token"] != first
    assert issuer.hits["/token"] == 2
    assert [r["grant_type"] for r in issuer.token_requests] == ["client_credentials"] * 2


def test_short_lived_token_is_renewed_at_half_its_lifetime(config, issuer, clock):
    issuer.token_lifetime = 20  # a 30 s margin would renew it before every call
    job = ReminderJob(config)
    job.upcoming()
    clock[0] += 9
    job.upcoming()
    assert issuer.hits["/token"] == 1
    clock[0] += 2
    job.upcoming()
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
    job.session.ensure_token()
    issuer.service_audience = "calendar-api"
    assert job.upcoming() == []
    assert issuer.hits["/token"] == 2


def test_wrong_client_secret_fails_with_the_oauth_error(config):
    job = ReminderJob(config.model_copy(update={"client_secret": "wrong"}))
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


def test_configured_token_params_reach_every_token_request(config, issuer, clock):
    # Auth0's client credentials request names the API as `audience`.
    config = config.model_copy(update={"token_params": (("audience", "calendar-api"),)})
    job = ReminderJob(config)
    job.upcoming()
    clock[0] += 300  # expired: Authlib renews on its own, with the same parameters
    job.upcoming()
    assert len(issuer.token_requests) == 2
    for sent in issuer.token_requests:
        assert sent["audience"] == "calendar-api"
        assert sent["grant_type"] == "client_credentials"


@pytest.mark.parametrize("params", ["grant_type=password", "scope=everything"])
def test_token_params_may_not_replace_the_grants_own(params):
    with pytest.raises(ConfigError, match="REMINDER_TOKEN_PARAMS"):
        Config.from_env(ENV | {"REMINDER_TOKEN_PARAMS": params})


def test_dotenv_file_is_read_and_the_process_environment_wins(tmp_path, monkeypatch):
    for name in [*ENV, "REMINDER_SCOPE", "REMINDER_TOKEN_PARAMS"]:
        monkeypatch.delenv(name, raising=False)
    dotenv = "\n".join(f"{name}={value}" for name, value in ENV.items())
    (tmp_path / ".env").write_text(dotenv + "\nREMINDER_SCOPE=from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REMINDER_CLIENT_ID", "from-environment")
    config = Config.from_env()
    assert config.issuer == ENV["OIDC_ISSUER"] and config.scope == "from-dotenv"
    assert config.client_id == "from-environment"


def test_given_mapping_is_the_only_source(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("REMINDER_SCOPE=from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REMINDER_WITHIN_MINUTES", "5")
    config = Config.from_env(ENV)
    assert (config.scope, config.within_minutes) == ("calendar:reminders", 60)


@pytest.mark.parametrize(
    ("name", "value"),
    [("REMINDER_INTERVAL_SECONDS", "0"), ("REMINDER_WITHIN_MINUTES", "soon")],
)
def test_config_invalid_number_fails_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        Config.from_env(ENV | {name: value})


def test_main_reads_the_dotenv_file_of_its_working_directory(config, issuer, tmp_path, monkeypatch):
    for name in [*ENV, "REMINDER_SCOPE", "REMINDER_TOKEN_PARAMS", "REMINDER_HEARTBEAT_FILE"]:
        monkeypatch.delenv(name, raising=False)
    heartbeat = tmp_path / "ok"
    settings = {**ENV, "OIDC_ISSUER": config.issuer, "API_URL": config.api_url}
    lines = [f"{name}={value}" for name, value in settings.items()]
    (tmp_path / ".env").write_text("\n".join([*lines, f"REMINDER_HEARTBEAT_FILE={heartbeat}"]))
    monkeypatch.chdir(tmp_path)
    assert main(["--once"]) == 0
    assert heartbeat.exists()


def test_loop_touches_the_heartbeat_and_stops_cleanly_on_sigterm(config, tmp_path):
    heartbeat = tmp_path / "ok"
    env = {
        "PATH": os.environ["PATH"],
        **ENV,
        "OIDC_ISSUER": config.issuer,
        "API_URL": config.api_url,
        "REMINDER_INTERVAL_SECONDS": "1",
        "REMINDER_HEARTBEAT_FILE": str(heartbeat),
    }
    job = subprocess.Popen([sys.executable, "-m", "reminder_job"], cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 20
        while not heartbeat.exists() and job.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heartbeat.exists(), "no successful run within 20 s"
        job.send_signal(signal.SIGTERM)
        # As a container's PID 1 it must stop on SIGTERM, like Ctrl-C, with status 0.
        assert job.wait(timeout=10) == 0
    finally:
        if job.poll() is None:
            job.kill()
