"""Slow clients: sockets that start a request and then send it a trickle at a time.

Slow headers (a slowloris) never finish their header block; slow bodies (a slow POST) send a
whole header block that announces a body, then the body a byte at a time. Used by
scripts/bench_slow_clients.py and by the tests that hold a BFF to the same abuse.
"""

import contextlib
import socket
import threading
from collections.abc import Callable


@contextlib.contextmanager
def _trickling(
    sockets: list[socket.socket], first: bytes, piece: Callable[[int], bytes], every: float
):
    """Send `first` on each socket, then `piece(n)` on each every `every` seconds."""
    stop = threading.Event()

    def trickle():
        for sock in sockets:
            sock.sendall(first)
        number = 0
        while not stop.wait(every):
            number += 1
            for sock in sockets:
                with contextlib.suppress(OSError):  # the server may have cut it off
                    sock.sendall(piece(number))

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield sockets
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()


def _connect(host: str, port: int, count: int) -> list[socket.socket]:
    return [socket.create_connection((host, port), timeout=5) for _ in range(count)]


def slow_header_clients(port: int, count: int, host: str = "127.0.0.1", every: float = 2.0):
    """Sockets that send a request's headers one line every `every` seconds, never finishing."""
    return _trickling(
        _connect(host, port, count),
        b"GET /bff/user HTTP/1.1\r\nHost: localhost\r\n",
        lambda line: f"X-Slow-{line}: still coming\r\n".encode(),
        every,
    )


def slow_body_clients(
    port: int, count: int, head: str, host: str = "127.0.0.1", every: float = 1.0
):
    """Sockets that send `head` (a whole head announcing a body), then a byte every `every` s."""
    return _trickling(_connect(host, port, count), head.encode(), lambda _: b" ", every)


def upload_head(host: str, cookie: str, length: int) -> str:
    """The head of a signed-in `POST /api/events` through the BFF, announcing `length` bytes."""
    return (
        f"POST /api/events HTTP/1.1\r\nHost: {host}\r\nX-CSRF: 1\r\nCookie: {cookie}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
