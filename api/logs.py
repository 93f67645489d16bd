"""Structured logs: one JSON line per request and per protocol event, tied by X-Request-Id.

A line never holds a token, a cookie, a header value or a query string (the authorization
response's `code` and `state` travel in one): only method, path, status, timing and ids.
"""

import json
import logging
import re
import secrets
import time

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
# An id from outside is kept only if it looks like one; anything else could forge log lines.
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Routes without a token check; every other request is also logged as an access_token_check.
UNPROTECTED = ("/healthz", "/openapi.json")
log = logging.getLogger("api.requests")


class JsonLines(logging.Formatter):
    """One JSON object per record: the message plus the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def init_app(app: Flask) -> None:
    """Log every request of this app as JSON, under the caller's X-Request-Id when valid."""
    _json_handler("api")
    app.before_request(_start)
    app.after_request(_finish)


def request_id() -> str:
    """This request's id (taken from X-Request-Id or made here); '-' outside a request."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _VALID_ID.fullmatch(incoming) else secrets.token_hex(16)
    return g.request_id


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
    return {"service": "api", "request_id": request_id()}


def _start() -> None:
    g.log_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    if request.path == "/healthz":  # polled every few seconds by launchers: not worth a line
        return response
    started = g.get("log_started")
    latency = round((time.perf_counter() - started) * 1000, 1) if started else None
    outcome = "ok" if response.status_code < 400 else "error"
    fields: dict[str, object] = {"event": "request", "method": request.method}
    fields["path"] = request.path
    fields |= {"status": response.status_code, "outcome": outcome, "latency_ms": latency}
    log.info("request", extra={"fields": {**_ids(), **fields}})
    if request.path not in UNPROTECTED:
        _token_check(response)
    return response


def _token_check(response: Response) -> None:
    """The verdict on the bearer token: RFC 6750's error code, or who the token was for."""
    challenge = response.headers.get("WWW-Authenticate", "")
    error = re.search(r'error="([a-z_]+)"', challenge)
    if error:
        event("access_token_check", error.group(1), status=response.status_code)
    elif response.status_code == 401:
        event("access_token_check", "no_token", status=response.status_code)
    elif "token" in g:
        claims = g.token
        fields = {"sub": claims.get("sub"), "client_id": claims.get("client_id")}
        event("access_token_check", "accepted", status=response.status_code, **fields)
