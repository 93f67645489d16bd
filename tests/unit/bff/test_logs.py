"""The request line: the BFF's access log, one whole JSON line per request on standard error."""

import contextlib
import json
import logging

import pytest

from bff import logs

IDS = {"service": "bff", "request_id": "spa-call-0001"}


class Writes:
    """A stand-in for standard error that keeps each write apart."""

    def __init__(self):
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        self.calls.append(text)
        return len(text)


@pytest.fixture
def level():
    """Request lines on, as init_app sets them; the logger's level is restored afterwards."""
    requests_log = logging.getLogger("bff.requests")
    before = requests_log.level
    requests_log.setLevel(logging.INFO)
    yield requests_log
    requests_log.setLevel(before)


def written(*line_args) -> list[str]:
    """What one request_line call writes to standard error, write by write."""
    writes = Writes()
    with contextlib.redirect_stderr(writes):  # type: ignore[type-var]
        logs.request_line(IDS, *line_args)
    return writes.calls


def test_a_request_line_is_one_write_of_one_json_line_shaped_like_the_other_lines(level):
    upstream = {"upstream_status": 200, "upstream_ms": 1.5}
    (text,) = written("GET", "/api/events", 200, 2.5, upstream)  # one write: lines never mix
    assert text.endswith("\n") and text.count("\n") == 1
    line = json.loads(text)
    assert line | {"ts": 0} == {
        "ts": 0, "level": "info", "logger": "bff.requests", "msg": "request", **IDS,
        "event": "request", "method": "GET", "path": "/api/events", "status": 200,
        "outcome": "ok", "latency_ms": 2.5, **upstream,
    }  # fmt: skip


def test_a_request_line_has_the_same_keys_as_a_logged_event_line():
    record = logging.LogRecord("bff.requests", logging.INFO, __file__, 1, "logout", None, None)
    record.fields = {"event": "logout"}
    event_line = json.loads(logs.JsonLines().format(record))
    assert list(event_line)[:4] == ["ts", "level", "logger", "msg"]
    access = json.loads(logs.json_line(1.0, "info", "bff.requests", "request", {"event": "x"}))
    assert list(access) == ["ts", "level", "logger", "msg", "event"]


def test_an_error_status_is_an_error_outcome(level):
    assert logs.request_line(IDS, "GET", "/api/events", 502, 1.0, {}) == "error"
    (text,) = written("GET", "/api/events", 502, 1.0, {})
    assert json.loads(text)["outcome"] == "error"


def test_the_request_loggers_level_still_switches_request_lines_off(level):
    level.setLevel(logging.WARNING)  # the fixture restores it
    assert written("GET", "/api/events", 200, 1.0, {}) == []


class Broken:
    """Standard error that cannot be written: a closed pipe."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_request_line_that_cannot_be_written_never_fails_the_request(level):
    with contextlib.redirect_stderr(Broken()):
        assert logs.request_line(IDS, "GET", "/api/events", 200, 1.0, {}) == "ok"
