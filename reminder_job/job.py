"""One run of the reminder job: read upcoming events through the API's service route."""

from __future__ import annotations

import logging

import requests

from .config import Config
from .token import HTTP_TIMEOUT_SECONDS, ServiceToken

log = logging.getLogger("reminder_job")


class ApiError(RuntimeError):
    """The API refused the call; the message carries its OAuth error."""


class ReminderJob:
    """Calls ``GET /reminders/upcoming`` with the job's cached service token."""

    def __init__(self, config: Config, http: requests.Session | None = None) -> None:
        self.config = config
        self.http = http or requests.Session()
        self.token = ServiceToken(config, self.http)

    def upcoming(self) -> list[dict]:
        """Upcoming events of all users, each with its ``sub``."""
        response = self._call()
        if response.status_code == 401:
            # The token may have been revoked or its key rotated away: one fresh try.
            self.token.forget()
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
        return self.http.get(
            f"{self.config.api_url}/reminders/upcoming",
            params={"within_minutes": self.config.within_minutes},
            headers={"Authorization": f"Bearer {self.token.get()}"},
            timeout=HTTP_TIMEOUT_SECONDS,
        )
