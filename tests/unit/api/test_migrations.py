"""The database schema is versioned (PRAGMA user_version) and upgraded at start, keeping data."""

import sqlite3
import threading
from contextlib import closing

from api import create_app
from api.db import MIGRATIONS, Database

from .fake_issuer import bearer

# The exact DDL of the first release (api/db.py before versioned migrations), which left
# user_version at 0. Kept here verbatim: it is what deployed databases contain.
VERSION_1_DDL = """
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
ROWS = [
    ("e1", "alice", "Dentist", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"),
    ("e2", "alice", "Standup", "2026-12-02T09:00:00Z", "2026-12-02T09:15:00Z"),
    ("e3", "bob", "Gym", "2026-12-01T18:00:00Z", "2026-12-01T19:00:00Z"),
]


def version_1_database(path):
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(VERSION_1_DDL)
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", ROWS)


def columns(path):
    with closing(sqlite3.connect(path)) as connection:
        return [row[1] for row in connection.execute("PRAGMA table_info(events)")]


def test_a_version_1_database_is_upgraded_at_start_and_keeps_its_events(config, issuer):
    version_1_database(config.db_path)
    client = create_app(config).test_client()
    assert Database(config.db_path).version() == len(MIGRATIONS) == 2
    assert columns(config.db_path) == ["id", "sub", "title", "start", "end", "location"]
    events = client.get("/events", headers=bearer(issuer.user_token("alice"))).get_json()
    assert events == {
        "events": [
            {"id": "e1", "title": "Dentist", "start": ROWS[0][3], "end": ROWS[0][4]},
            {"id": "e2", "title": "Standup", "start": ROWS[1][3], "end": ROWS[1][4]},
        ]
    }
    new = {"title": "Lunch", "start": "2026-12-03T12:00:00Z", "end": "2026-12-03T13:00:00Z"}
    answer = client.post(
        "/events", json={**new, "location": "Cafe"}, headers=bearer(issuer.user_token("bob"))
    )
    assert answer.status_code == 201 and answer.get_json()["location"] == "Cafe"


def test_migrations_run_once_however_often_the_api_starts(config):
    for _ in range(3):
        create_app(config)
    assert Database(config.db_path).version() == len(MIGRATIONS)
    assert columns(config.db_path).count("location") == 1


def test_workers_booting_together_migrate_once_and_all_start(tmp_path):
    path, errors = tmp_path / "api.sqlite3", []
    version_1_database(path)

    def boot():
        try:
            Database(path).boot()
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    workers = [threading.Thread(target=boot) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert Database(path).version() == len(MIGRATIONS)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] == len(ROWS)


def test_a_fresh_database_gets_every_migration(config):
    create_app(config)
    assert Database(config.db_path).version() == len(MIGRATIONS)
    assert "location" in columns(config.db_path)
