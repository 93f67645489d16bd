"""Find free TCP ports on the loopback interface."""

import functools
import secrets
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 10000  # ports picked here are at or above this, and below the ephemeral range
_given: set[int] = set()  # this process never hands out a port twice (a stack asks for three)


def free_port(ephemeral_range: Path = EPHEMERAL_RANGE) -> int:
    """Return a port that was free a moment ago (good enough for tests on one machine)."""
    # A port the kernel picks (bind to 0) comes from its ephemeral range, which it also hands to
    # outgoing connections: between this call and the server's bind, any connect() on the
    # machine may take it, and the server then dies with "address in use". Ports below that
    # range are never given out that way, so only another explicit bind can take them.
    low = ephemeral_low(ephemeral_range)
    if low - LOWEST >= 1000:
        for _ in range(50):
            port = LOWEST + secrets.randbelow(low - LOWEST)
            if port not in _given and bindable(port):
                _given.add(port)
                return port
    with socket.socket() as sock:  # no room below the range, or all tries taken: the kernel's
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@functools.cache  # read once per process: the range does not change while tests run
def ephemeral_low(ephemeral_range: Path) -> int:
    """The first port of the kernel's ephemeral range; 0 where it cannot be read."""
    try:
        return int(ephemeral_range.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def bindable(port: int) -> bool:
    """Can a server bind this loopback port now?"""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
