"""SQLite storage: one connection per request, safe under several gunicorn workers."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from flask import Flask, g

from . import current

# Each entry moves the schema one version up; PRAGMA user_version says how many have run.
# Never edit a shipped entry: add one. Version 1 is the schema of the first release, written
# with IF NOT EXISTS because databases of that release carry it with user_version still 0.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS events (
    id    TEXT PRIMARY KEY,
    sub   TEXT NOT NULL,
    title TEXT NOT NULL,
    start TEXT NOT NULL,
    end   TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS events_by_owner ON events (sub, start)",
        "CREATE INDEX IF NOT EXISTS events_by_start ON events (start)",
    ),
    ("ALTER TABLE events ADD COLUMN location TEXT",),  # 2: event_schema's optional location
)
# Workers wait this long for another worker's write instead of failing at once.
BUSY_TIMEOUT_SECONDS = 5


class Database:
    """The API's SQLite file: its schema is made once at start, connections per request."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def connect(self) -> sqlite3.Connection:
        """A new connection whose rows read like dicts."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        connection.row_factory = sqlite3.Row
        return connection

    def boot(self) -> None:
        """Create the file and bring its schema up to date; workers may do this at once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Workers start together: switching a new file to WAL does not wait for the busy
        # timeout, so the worker that loses the race tries again (bounded) instead of failing.
        for attempt in range(50):
            try:
                self._create_schema()
                return
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def version(self) -> int:
        """The schema version of the file (PRAGMA user_version)."""
        with closing(self.connect()) as connection:
            return connection.execute("PRAGMA user_version").fetchone()[0]

    def _create_schema(self) -> None:
        with closing(self.connect()) as connection:
            connection.isolation_level = None  # transactions below are explicit
            # WAL lets readers in other workers proceed while one worker writes.
            connection.execute("PRAGMA journal_mode=WAL")
            # IMMEDIATE takes the write lock before reading the version: a second worker
            # waits here (busy timeout), then finds the migrations done and runs none.
            connection.execute("BEGIN IMMEDIATE")
            try:
                done = connection.execute("PRAGMA user_version").fetchone()[0]
                for version, statements in enumerate(MIGRATIONS[done:], start=done + 1):
                    for statement in statements:
                        connection.execute(statement)
                    connection.execute(f"PRAGMA user_version = {version}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise


def init_app(app: Flask) -> None:
    """Close each request's connection after it."""
    app.teardown_appcontext(_close)


def get_db() -> sqlite3.Connection:
    """This request's connection, opened on first use."""
    if "db" not in g:
        g.db = current.api().database.connect()
    return g.db


def _close(_exc: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()
