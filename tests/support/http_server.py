"""A real HTTP server on a thread, for test doubles of services outside the unit under test."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from werkzeug.serving import make_server

from devstack.ports import free_port


class ThreadedServer:
    """Serve a WSGI app on 127.0.0.1 until stop() is called."""

    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "ThreadedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join()


class KeepAliveHandler(BaseHTTPRequestHandler):
    """A stdlib handler that keeps connections alive (HTTP/1.1), as gunicorn's workers do;
    Werkzeug's test server closes each one, which would hide how a client pools them."""

    protocol_version = "HTTP/1.1"

    def answer_json(self, document: dict) -> None:
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass  # tests read answers, not log lines


@contextmanager
def keep_alive_server(handler: type[KeepAliveHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 on a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
