"""A deadline on reading request bodies, as Apache's mod_reqtimeout gives its own.

gunicorn bounds the wait for a request's headers (the keep-alive timeout) but not for its body:
a sender that announces a body and then trickles it in would hold its connection for ever, and
enough of them fill the worker's connection slots. Every body must arrive within
`BFF_BODY_TIMEOUT_SECONDS`, plus one second for each `BFF_BODY_MIN_RATE` bytes it announced
(a chunked one: as many as the largest body allowed); past that, reading it raises
`BodyTimeout` (408). The clock starts once the headers are in.
"""

import time

import gevent
from flask import Flask
from werkzeug.exceptions import RequestTimeout


class BodyTimeout(RequestTimeout):
    """The body did not arrive within its deadline."""

    description = "The request body did not arrive in time."


class PacedInput:
    """A `wsgi.input` that raises BodyTimeout when a read would end past `deadline`."""

    def __init__(self, stream, deadline: float):
        self.stream, self.deadline = stream, deadline

    def _within_deadline(self, read, size: int) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BodyTimeout()
        # gevent, because the BFF's workers are gevent's: the timer interrupts a read that
        # waits on the socket. Under a threaded server (flask run) a read that blocks is not
        # interrupted, and the deadline is only checked between reads.
        with gevent.Timeout(left, BodyTimeout):
            return read(size)

    def read(self, size: int = -1) -> bytes:
        return self._within_deadline(self.stream.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._within_deadline(self.stream.readline, size)


def init_app(app: Flask, seconds: float, min_rate: int, max_bytes: int) -> None:
    """Give every request that sends a body a deadline for it."""
    inner = app.wsgi_app

    def paced(environ, start_response):
        length = environ.get("CONTENT_LENGTH", "")
        size = int(length) if length.isdecimal() else 0  # isdigit() would let "²" into int()
        if not size and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            size = max_bytes  # no length announced: as long as the largest body allowed
        if not size:
            return inner(environ, start_response)
        deadline = time.monotonic() + seconds + size / min_rate
        environ["wsgi.input"] = PacedInput(environ["wsgi.input"], deadline)
        return inner(environ, start_response)

    app.wsgi_app = paced  # type: ignore[method-assign]
