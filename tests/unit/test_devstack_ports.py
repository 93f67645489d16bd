"""The ports tests and the demo start servers on: free, and out of reach of outgoing connections."""

import socket

from devstack import ports
from devstack.ports import LOWEST, free_port


def test_a_free_port_lies_below_the_kernels_ephemeral_range_and_can_be_bound(tmp_path):
    # Linux's default range: outgoing connections get ports from 32768 up, never below.
    ephemeral = tmp_path / "ip_local_port_range"
    ephemeral.write_text("32768\t60999\n")
    given = [free_port(ephemeral) for _ in range(20)]
    assert all(LOWEST <= port < 32768 for port in given)
    assert len(set(given)) == 20  # never the same port twice in one process
    port = given[0]
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        assert server.getsockname()[1] == port


def test_a_port_already_taken_is_passed_over(tmp_path, monkeypatch):
    ephemeral = tmp_path / "ip_local_port_range"
    ephemeral.write_text("32768 60999\n")
    first, second = free_port(ephemeral), free_port(ephemeral)
    ports._given -= {first, second}  # handed out above: only the bind below rules one out
    picks = iter([first - LOWEST, second - LOWEST])
    monkeypatch.setattr("devstack.ports.secrets.randbelow", lambda _: next(picks))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", first))
        assert free_port(ephemeral) == second


def test_without_a_readable_range_the_kernel_picks(tmp_path):
    port = free_port(tmp_path / "missing")
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        assert server.getsockname()[1] == port
