"""The SPA's API calls, forwarded to the resource API with the session's access token."""

import shutil
import tempfile
import time
from urllib.parse import quote

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest

from . import logs, signals
from .auth import current_login, login_required_error
from .current import bff
from .errors import answers_json, json_error
from .security import csrf_protected
from .tokens import fresh_record
from .upstream import Answer, SizedStream, UpstreamTimeout, UpstreamUnreachable

bp = answers_json(Blueprint("proxy", __name__))
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# Only these answer headers travel back; hop-by-hop and upstream cookies never do.
PASSED_BACK = ("Content-Type", "Cache-Control", "Retry-After", "WWW-Authenticate")
IN_MEMORY_BYTES = 64 * 1024  # a larger body waits for the API in a temporary file


def allowed(method: str, path: str) -> bool:
    """Is this method and path on the configured allow-list?"""
    return on_allow_list(bff().config.api_routes, method, path)


def on_allow_list(routes, method: str, path: str) -> bool:
    """Is this method and path on `routes`, (method, prefix) pairs?"""
    segments = path.split("/")[1:]
    if any(segment in (".", "..") for segment in segments) or "//" in path:
        return False
    for allowed_method, prefix in routes:
        # "/events" allows "/events" and "/events?..." but not "/eventsX"; "/events/" allows ids.
        below = prefix.endswith("/") and path.startswith(prefix) and len(path) > len(prefix)
        if method == allowed_method and (path == prefix or below):
            return True
    return False


def body_problem():
    """A JSON error if the request body cannot be forwarded, checked before reading a byte."""
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return json_error(411, "invalid_request", "Send the body with a Content-Length.")
    limit = bff().config.max_body_bytes
    if (request.content_length or 0) > limit:
        return json_error(413, "invalid_request", f"The body is larger than {limit} bytes.")
    return None


class UpstreamFailed(Exception):
    """The API could not be asked; `answer` is what the browser gets instead."""

    def __init__(self, answer: Response):
        self.answer = answer


def outgoing_body():
    """The whole body, read before the API is called, and kept to send again after a refresh."""
    # Read first, so that a browser sending slowly (bodies.py cuts it off at its deadline) holds
    # only its own greenlet, never one of the pooled connections to the API nor an API thread.
    length = request.content_length
    if not length:
        return None
    if length <= IN_MEMORY_BYTES:
        data = request.get_data()
        check_complete(len(data), length)
        return data
    # Never whole in memory: past 64 KB the spool is an unlinked file, gone when closed. Closed
    # by forward(), not by a with block here: a context manager on every call, bodiless GETs
    # included, cost 0.7% of a proxied call's instructions (scripts/bench_instructions.py).
    spool = tempfile.SpooledTemporaryFile(IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        shutil.copyfileobj(request.stream, spool, IN_MEMORY_BYTES)
        check_complete(spool.tell(), length)
    except BaseException:
        spool.close()
        raise
    return spool


def check_complete(received: int, length: int) -> None:
    """Refuse a body shorter than the Content-Length the browser announced."""
    if received != length:
        raise BodyTooShort()


class BodyTooShort(BadRequest):
    """The browser closed before sending the body its Content-Length announced."""

    description = "The body ended before its Content-Length."


def api_target(base_path: str, upstream_path: str, query: str) -> str:
    """The API's path and query for a browser's call to /api + `upstream_path`."""
    target = base_path + quote(upstream_path)
    return target + "?" + query if query else target


def api_headers(access_token: str, request_id: str) -> dict[str, str]:
    """What the API gets besides the method and path: the token, and the request id to log."""
    return {
        "Authorization": "Bearer " + access_token,
        "Accept": "application/json",
        logs.REQUEST_ID_HEADER: request_id,  # the API logs this call under the SPA's request id
    }


def answer_headers(upstream: Answer) -> list[tuple[str, str]]:
    """The API's answer headers that go back to the browser, each as the API sent it."""
    passed = [(name, value) for name in PASSED_BACK for value in upstream.headers.getlist(name)]
    location = upstream.headers.getlist("Location")
    if len(location) == 1 and location[0].startswith("/") and not location[0].startswith("//"):
        passed.append(("Location", "/api" + location[0]))
    return passed


def call_api(target: str, access_token: str, body) -> Answer:  # target: path and query
    """One call to the API with this access token."""
    headers = api_headers(access_token, logs.request_id())
    if body is not None:
        length = request.content_length or 0  # there is a body: the browser announced it
        headers["Content-Length"] = str(length)
        headers["Content-Type"] = request.content_type or "application/octet-stream"
        if not isinstance(body, bytes):  # the spooled body, from its start every time
            body.seek(0)
            body = SizedStream(body, length)
    started = time.perf_counter()
    try:
        answer = bff().api.send(request.method, target, body=body, headers=headers)
    except UpstreamTimeout:
        raise UpstreamFailed(
            json_error(504, "upstream_timeout", "The API did not answer in time.")
        ) from None
    except UpstreamUnreachable:
        raise UpstreamFailed(
            json_error(502, "upstream_unavailable", "The API could not be reached.")
        ) from None
    logs.upstream(answer.status, started)
    return answer


@bp.route("/api/<path:path>", methods=METHODS)
@csrf_protected
def forward(path: str):
    """Forward one allow-listed call to the API, stripping the browser's cookies."""
    upstream_path = "/" + path
    if not allowed(request.method, upstream_path):
        return json_error(404, "not_found", f"{request.method} {upstream_path} is not proxied.")
    problem = body_problem()
    if problem:
        return problem
    signed_in = current_login()
    if signed_in is None:
        return login_required_error()
    login_id, record = signed_in
    logins = bff().logins
    record = fresh_record(logins, login_id, record)
    url = api_target(bff().api.path, upstream_path, request.query_string.decode("ascii", "replace"))
    body = outgoing_body()
    try:
        upstream = call_api(url, record["access_token"], body)
        if upstream.status == 401:
            # Revoked, signed with a retired key, or a clock apart: one refresh, one retry.
            record = fresh_record(logins, login_id, record, force=True)
            upstream = call_api(url, record["access_token"], body)
        if upstream.status == 401:
            # The API refuses even fresh tokens: end the login, so the BFF and the SPA agree.
            logs.event("api_refused_fresh_token", "fault", action="login_ended")
            logins.delete(login_id)
            return login_required_error()
    except UpstreamFailed as failed:
        return failed.answer
    finally:
        if hasattr(body, "close"):
            body.close()  # a spooled body's file
    signals.send(signals.api_called, method=request.method, path=upstream_path, upstream=upstream)
    # Given in the constructor, so that Werkzeug adds no Content-Type of its own (text/html)
    # beside the API's: a second one could make a client that reads the first take the API's
    # JSON for a page.
    response = Response(upstream.data, status=upstream.status, headers=answer_headers(upstream))
    if not upstream.headers.getlist("Content-Type"):
        del response.headers["Content-Type"]  # the API named none; the BFF invents none
    return response
