"""Find free TCP ports on the loopback interface."""

import socket


def free_port() -> int:
    """Return a port that was free a moment ago (good enough for tests on one machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
