"""A real HTTP server on a thread, for test doubles of services outside the unit under test."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

from werkzeug.serving import make_server

from devstack.ports import free_port


class ThreadedServer:
    """Serve on 127.0.0.1 on a thread while the block runs: a WSGI app through Werkzeug, or a
    stdlib `KeepAliveHandler` class."""

    def __init__(self, app=None, handler: "type[KeepAliveHandler] | None" = None):
        self._server: HTTPServer
        if handler is not None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        else:
            self._server = make_server("127.0.0.1", free_port(), app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
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
