"""Structured logs: one JSON line per request and per protocol event, tied by X-Request-Id.

A proxied API call is one request line that also names the API's status and time
(`upstream_status`, `upstream_ms`): it is the request, not a second event.

A line never holds a token, a cookie, a header value or a query string (the authorization
response's `code` and `state` travel in one): only method, path, status, timing and ids.

The request line is the BFF's access log and is written as servers write theirs: formatted here
and handed to standard error in one write, not through `logging`'s records, handlers and locks
(under gevent those locks are Python code), which cost more than the rest of a proxied call's
own work (docs/bff-benchmarks.md, "The request line"). Its shape is the other lines' shape, and the
`bff.requests` logger's level still switches it on and off. Protocol events go through `logging`.
"""

import contextlib
import json
import logging
import re
import secrets
import sys
import time

import requests
from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
# An id from outside is kept only if it looks like one; anything else could forge log lines.
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Requests that are steps of the protocol, logged a second time as events.
PROTOCOL_EVENTS = {
    "/bff/login": "login_started",
    "/bff/callback": "login_completed",
    "/bff/logout": "logout",
    "/bff/backchannel-logout": "backchannel_logout",
}
log = logging.getLogger("bff.requests")


class JsonLines(logging.Formatter):
    """One JSON object per record: the message plus the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        if record.exc_info:
            fields = {**fields, "exc": self.formatException(record.exc_info)}
        level, message = record.levelname.lower(), record.getMessage()
        return json_line(record.created, level, record.name, message, fields)


def json_line(created: float, level: str, logger: str, message: str, fields: dict) -> str:
    """One JSON object: when, how bad, who, what, then the fields."""
    line = {"ts": round(created, 3), "level": level, "logger": logger, "msg": message}
    line.update(fields)
    return _encode(line)


_encode = json.JSONEncoder(default=str).encode  # one encoder, not one per line


def init_app(app: Flask) -> None:
    """Log every request of this app as JSON, under the caller's X-Request-Id when valid."""
    _json_handler("bff")
    app.before_request(_start)
    app.after_request(_finish)


def request_id() -> str:
    """This request's id (taken from X-Request-Id or made here); '-' outside a request."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        g.request_id = id_for(request.headers.get(REQUEST_ID_HEADER, ""))
    return g.request_id


def id_for(incoming: str) -> str:
    """The caller's X-Request-Id when it looks like one, else a new id."""
    return incoming if _VALID_ID.fullmatch(incoming) else secrets.token_hex(16)


def outgoing_headers() -> dict[str, str]:
    """Headers that carry this request's id to the API (add them in the proxy)."""
    return {REQUEST_ID_HEADER: request_id()}


def tag_session(session: requests.Session) -> None:
    """Authlib's `compliance_fix` hook: the BFF's calls to the IdP carry this request's id."""
    session.headers.update(outgoing_headers())


def upstream(status: int, started: float) -> None:
    """Note the API's answer to this request's proxied call, for its request line."""
    g.log_upstream = upstream_fields(status, started)


def upstream_fields(status: int, started: float) -> dict:
    """The request line's fields for the API's answer to a proxied call."""
    return {"upstream_status": status, "upstream_ms": ms_since(started)}


def event(name: str, outcome: str, **fields: object) -> None:
    """One protocol event line (never pass a token or a secret in `fields`)."""
    log.info(name, extra={"fields": {"event": name, "outcome": outcome, **_ids(), **fields}})


def _json_handler(name: str) -> None:
    logger = logging.getLogger(name)
    if not any(isinstance(h.formatter, JsonLines) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _ids() -> dict[str, str]:
    return ids_of(request_id())


def ids_of(request_id: str) -> dict[str, str]:
    """The fields that tie a line to its service and request."""
    return {"service": "bff", "request_id": request_id}


def _start() -> None:
    g.log_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    ids = _ids()
    response.headers[REQUEST_ID_HEADER] = ids["request_id"]
    path = request.path
    if path == "/healthz":  # polled every few seconds by launchers: not worth a line
        return response
    started = g.get("log_started")
    latency = ms_since(started) if started else None
    status = response.status_code
    outcome = request_line(ids, request.method, path, status, latency, g.get("log_upstream", {}))
    name = PROTOCOL_EVENTS.get(path)
    if name:
        event(name, outcome, status=status, latency_ms=latency)
    return response


def request_line(
    ids: dict, method: str, path: str, status: int, latency: float | None, upstream: dict
) -> str:
    """Log one request's line; its outcome, "ok" or "error"."""
    outcome = "ok" if status < 400 else "error"
    fields = {
        **ids, "event": "request", "method": method, "path": path, "status": status,
        "outcome": outcome, "latency_ms": latency, **upstream,
    }  # fmt: skip
    if log.isEnabledFor(logging.INFO):
        line = json_line(time.time(), "info", log.name, "request", fields)
        # As with logging, a line that cannot be written never fails the request.
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(line + "\n")  # one line, one write (stderr is line-buffered)
    return outcome


def ms_since(started: float) -> float:
    """Milliseconds since a `time.perf_counter()` reading, to a tenth."""
    return round((time.perf_counter() - started) * 1000, 1)
