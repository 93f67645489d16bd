"""One run of the reminder job: read upcoming events through the API's service route."""

from __future__ import annotations

import logging

import requests

from .config import Config
from .session import ServiceSession, discover_token_endpoint

log = logging.getLogger("reminder_job")


class ApiError(RuntimeError):
    """The API refused the call; the message carries its OAuth error."""


class ReminderJob:
    """Calls ``GET /reminders/upcoming`` with the job's service token, reused until near expiry."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._session: ServiceSession | None = None

    @property
    def session(self) -> ServiceSession:
        """The token-carrying session; discovery runs on first use, so a down IdP fails a run
        (and the next run tries again) rather than the job's start."""
        if self._session is None:
            with requests.Session() as http:
                endpoint = discover_token_endpoint(self.config.issuer, http)
            self._session = ServiceSession(self.config, endpoint)
        return self._session

    def upcoming(self) -> list[dict]:
        """Upcoming events of all users, each with its ``sub``."""
        response = self._call()
        if response.status_code == 401:
            # The token may have been revoked or its key rotated away: one fresh try.
            self.session.forget()
            response = self._call()
        if response.status_code != 200:
            raise ApiError(f"{response.status_code} {response.text.strip()}")
        return response.json()["reminders"]

    def run_once(self) -> list[dict]:
        """Fetch the reminders and log one line for each."""
        reminders = self.upcoming()
        for reminder in reminders:
            log.info(
                "reminder for %s: %r starts at %s",
                reminder["sub"],
                reminder["title"],
                reminder["start"],
            )
        within = self.config.within_minutes
        log.info("%d upcoming event(s) in the next %d minutes", len(reminders), within)
        return reminders

    def _call(self) -> requests.Response:
        session = self.session
        session.ensure_token()
        return session.get(
            f"{self.config.api_url}/reminders/upcoming",
            params={"within_minutes": self.config.within_minutes},
        )
