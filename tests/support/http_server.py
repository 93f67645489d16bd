"""A real HTTP server on a thread, for test doubles of services outside the unit under test."""

import threading

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
