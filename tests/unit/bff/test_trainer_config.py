"""Trainer mode is off unless TRAINER_MODE=1; its service client is configurable."""

import pytest

from bff.config import Config

from .test_config import FULL_ENV


def test_trainer_mode_is_off_by_default():
    config = Config.from_env(FULL_ENV)
    assert config.trainer_mode is False
    assert (config.trainer_m2m_client_id, config.trainer_m2m_client_secret) == (
        "reminder-job",
        "reminder-job-secret",
    )


@pytest.mark.parametrize(("value", "on"), [("1", True), ("0", False), ("true", False), ("", False)])
def test_only_trainer_mode_1_turns_it_on(value, on):
    assert Config.from_env(FULL_ENV | {"TRAINER_MODE": value}).trainer_mode is on


def test_trainer_service_client_comes_from_the_environment():
    env = FULL_ENV | {"TRAINER_M2M_CLIENT_ID": "job", "TRAINER_M2M_CLIENT_SECRET": "x"}
    config = Config.from_env(env)
    assert (config.trainer_m2m_client_id, config.trainer_m2m_client_secret) == ("job", "x")
