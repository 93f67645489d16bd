"""Slow-header clients (a slowloris): sockets that start a request and never finish its headers.

Used by scripts/bench_slow_clients.py and by the tests that hold a BFF to the same abuse.
"""

import contextlib
import socket
import threading


@contextlib.contextmanager
def slow_header_clients(port: int, count: int, host: str = "127.0.0.1", every: float = 2.0):
    """Sockets that send a request's headers one line every `every` seconds, never finishing."""
    stop = threading.Event()
    sockets = [socket.create_connection((host, port), timeout=5) for _ in range(count)]

    def dribble():
        for sock in sockets:
            sock.sendall(b"GET /bff/user HTTP/1.1\r\nHost: localhost\r\n")
        line = 0
        while not stop.wait(every):
            line += 1
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(f"X-Slow-{line}: still coming\r\n".encode())

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()
