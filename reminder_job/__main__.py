"""``python -m reminder_job [--once]``: log upcoming events every interval, or once."""

from __future__ import annotations

import argparse
import logging
import signal
import time
from collections.abc import Mapping
from pathlib import Path

import requests
from authlib.integrations.base_client import OAuthError

from .config import Config, ConfigError
from .job import ApiError, ReminderJob

log = logging.getLogger("reminder_job")


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the job; with --once, run it a single time and exit non-zero on failure.

    Settings come from `env` alone when given (tests), else from the environment and `.env`.
    """
    parser = argparse.ArgumentParser(prog="python -m reminder_job", description=__doc__)
    parser.add_argument("--once", action="store_true", help="run once and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        config = Config.from_env(env)
    except ConfigError as exc:
        parser.error(str(exc))  # exits with status 2 and the variable's name
    job = ReminderJob(config)
    # As a container's PID 1, Python ignores SIGTERM unless it handles it: stop like Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return _loop(job, config, args.once)
    except KeyboardInterrupt:
        return 0


def _loop(job: ReminderJob, config: Config, once: bool) -> int:
    while True:
        try:
            job.run_once()
            if config.heartbeat_file:
                Path(config.heartbeat_file).touch()
        except (ApiError, OAuthError, requests.RequestException) as exc:
            log.error("run failed: %s", exc)
            if once:
                return 1
        if once:
            return 0
        time.sleep(config.interval_seconds)


if __name__ == "__main__":
    raise SystemExit(main())
