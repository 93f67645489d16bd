"""SQLite storage: one connection per request, safe under several gunicorn workers."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from flask import Flask, current_app, g

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id    TEXT PRIMARY KEY,
    sub   TEXT NOT NULL,
    title TEXT NOT NULL,
    start TEXT NOT NULL,
    end   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_owner ON events (sub, start);
CREATE INDEX IF NOT EXISTS events_by_start ON events (start);
"""
# Workers wait this long for another worker's write instead of failing at once.
BUSY_TIMEOUT_SECONDS = 5


def connect(path: Path) -> sqlite3.Connection:
    """A new connection whose rows read like dicts."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    connection.row_factory = sqlite3.Row
    return connection


def init_app(app: Flask) -> None:
    """Create the database file and schema, and close each request's connection after it."""
    path = Path(app.config["API_CONFIG"].db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Workers start together: switching a new file to WAL does not wait for the busy timeout,
    # so the worker that loses the race tries again (bounded) instead of failing to boot.
    for attempt in range(50):
        try:
            create_schema(path)
            break
        except sqlite3.OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.1)
    app.teardown_appcontext(_close)


def create_schema(path: Path) -> None:
    """WAL mode and the tables, once per start (idempotent)."""
    with connect(path) as connection:
        # WAL lets readers in other workers proceed while one worker writes.
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
    connection.close()


def get_db() -> sqlite3.Connection:
    """This request's connection, opened on first use."""
    if "db" not in g:
        g.db = connect(Path(current_app.config["API_CONFIG"].db_path))
    return g.db


def _close(_exc: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()
