"""Demo data: a few events for the demo users, some starting soon, so the reminder job has
something to report on a fresh demo. Added at start-up to an empty calendar only (a fresh
demo, or after ./scripts/reset)."""

import secrets
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

# (username, title, starts in, lasts): two within the reminder job's default hour.
EVENTS = [
    ("alice", "Tea with the Mad Hatter", timedelta(minutes=20), timedelta(hours=1)),
    ("alice", "Croquet with the Queen", timedelta(days=1, hours=2), timedelta(hours=1)),
    ("bob", "Site visit", timedelta(minutes=45), timedelta(minutes=30)),
]


def seed_events(db_path: Path, idp_config: Path) -> int:
    """Add the demo events if the calendar is empty; return how many were added."""
    users = yaml.safe_load(idp_config.read_text())["users"]
    subs = {user["username"]: user["sub"] for user in users}
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    stamp = "%Y-%m-%dT%H:%M:%SZ"  # the API's storage format: UTC, second precision
    rows = [
        (
            secrets.token_urlsafe(12),
            subs[user],
            title,
            (now + delay).strftime(stamp),
            (now + delay + length).strftime(stamp),
        )
        for user, title, delay, length in EVENTS
    ]
    # The API created the schema at start-up; its columns are the only thing shared here.
    insert = "INSERT INTO events (id, sub, title, start, end) VALUES (?, ?, ?, ?, ?)"
    with sqlite3.connect(db_path, timeout=5) as db:
        if db.execute("SELECT COUNT(*) FROM events").fetchone()[0]:
            return 0
        db.executemany(insert, rows)
    return len(rows)
