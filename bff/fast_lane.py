"""The proxy's steady state, served as plain WSGI in front of Flask: most calls, least CPU.

Most of what the SPA sends is the same call: a signed-in browser reading an allow-listed API
route, with a token far from expiry and an idle timeout slid a moment ago. For that call the BFF
only reads Redis once and asks the API, and Flask's machinery around it (a request context,
routing, hooks, a Response object) is a large share of the cost: the same proxy measured 0.38 ms
of CPU per call as plain WSGI and 0.51 ms as a Flask app (docs/bff-benchmarks.md). This lane
answers that call with the same functions the Flask view uses (allow-list, CSRF check, session
read, request line) and nothing else.

Every other request goes to the Flask app untouched, where `proxy.forward` applies the same rules
and does the rest: not a bodiless GET, no session, a refusal (CSRF, allow-list), a token due for
refresh, an idle timeout due to slide, Redis failing, a plug-in listening to `api_called`, a
navigation, a non-ASCII path. The lane decides before it has any effect, with one exception: when
the API answers 401 (a token it refuses), the GET is handed over, and Flask asks again after its
refresh. A GET is safe to send twice.
"""

import time

import redis
from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES, parse_cookie

from . import logs, signals
from .config import Config
from .current import BffState
from .errors import json_error
from .proxy import answer_headers, api_headers, api_target, on_allow_list
from .redis_sessions import RedisSessions
from .security import SECURITY_HEADERS, csrf_problem
from .tokens import due
from .upstream import UpstreamTimeout, UpstreamUnreachable

PREFIX = "/api/"
# (status, error, description) the Flask view answers with for each failure to reach the API.
FAILURES = {
    UpstreamTimeout: (504, "upstream_timeout", "The API did not answer in time."),
    UpstreamUnreachable: (502, "upstream_unavailable", "The API could not be reached."),
}


class FastLane:
    """WSGI middleware: the steady-state proxied GET here, everything else to `flask_app`."""

    def __init__(self, app: Flask, flask_app, state: BffState, sessions: RedisSessions):
        self.app, self.flask_app, self.sessions = app, flask_app, sessions
        self.config: Config = state.config
        self.api, self.logins = state.api, state.logins
        self.cookie = state.config.cookie_name

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        call = self.signed_in_call(environ)
        if call is None:
            return self.flask_app(environ, start_response)
        path, token = call
        request_id = logs.id_for(environ.get("HTTP_X_REQUEST_ID", ""))
        target = api_target(self.api.path, path[len(PREFIX) - 1 :], environ.get("QUERY_STRING", ""))
        upstream_started = time.perf_counter()
        try:
            answer = self.api.send("GET", target, headers=api_headers(token, request_id))
        except (UpstreamTimeout, UpstreamUnreachable) as exc:
            return self.failed(environ, start_response, exc, request_id, path, started)
        if answer.status == 401:  # the API refuses the token: Flask refreshes and asks again
            return self.flask_app(environ, start_response)
        headers = answer_headers(answer)
        headers += [("Content-Length", str(len(answer.data))), *self.hook_headers(request_id)]
        status = answer.status
        upstream = logs.upstream_fields(status, upstream_started)
        self.log(request_id, path, status, started, upstream)
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, 'UNKNOWN')}", headers)
        return [answer.data]

    def signed_in_call(self, environ) -> tuple[str, str] | None:
        """(path, access token) when this is the lane's call, else None: Flask's, untouched."""
        path = environ.get("PATH_INFO", "")
        if (
            environ["REQUEST_METHOD"] != "GET"
            or not path.startswith(PREFIX)
            or environ.get("CONTENT_LENGTH", "") not in ("", "0")
            or "HTTP_TRANSFER_ENCODING" in environ
            or environ.get("HTTP_SEC_FETCH_MODE") == "navigate"  # canonical_host may redirect
            or signals.api_called.receivers  # a plug-in sees every call through the view
            or not (path.isascii() and environ.get("QUERY_STRING", "").isascii())
            or not on_allow_list(self.config.api_routes, "GET", path[len(PREFIX) - 1 :])
            or csrf_problem(
                environ.get("HTTP_X_CSRF"),
                environ.get("HTTP_SEC_FETCH_SITE"),
                environ.get("HTTP_ORIGIN"),
                self.config.bff_url,
            )
        ):
            return None
        sid = parse_cookie(environ).get(self.cookie)
        if not sid or len(sid) > 128:
            return None
        try:
            raw, companion, slid = self.sessions.read_once(sid)
        except redis.RedisError:
            return None  # the view reads again and answers 503
        if raw is None or companion is None or slid is None:  # slid: the view slides it
            return None
        token = self.fresh_token(sid, raw, companion)
        return (path, token) if token else None

    def fresh_token(self, sid: str, raw: bytes, companion: bytes) -> str | None:
        """The login's access token, if this session holds it and it is not due for refresh."""
        try:
            if self.sessions.serializer.decode(raw).get("login_id") != sid:
                return None
            record = self.logins.decode(companion)
            if record is None or due(record, self.config.refresh_margin_seconds):
                return None
            return record["access_token"]
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # not what the BFF stores: the view deals with it as it does

    @staticmethod
    def hook_headers(request_id: str) -> list[tuple[str, str]]:
        """What the Flask app's hooks add to every answer."""
        return [(logs.REQUEST_ID_HEADER, request_id), *SECURITY_HEADERS.items()]

    def failed(
        self, environ, start_response, exc: Exception, request_id: str, path: str, started: float
    ):
        """The API could not be asked: the view's JSON error, made by the same function."""
        status, error, description = FAILURES[type(exc)]
        with self.app.app_context():
            response = json_error(status, error, description)
        for name, value in self.hook_headers(request_id):
            response.headers[name] = value
        self.log(request_id, path, status, started, {})
        return response(environ, start_response)

    @staticmethod
    def log(request_id: str, path: str, status: int, started: float, upstream: dict) -> None:
        """The request line the Flask app's logging hook would write."""
        latency = logs.ms_since(started)
        logs.request_line(logs.ids_of(request_id), "GET", path, status, latency, upstream)
