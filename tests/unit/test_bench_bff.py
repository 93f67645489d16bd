"""The BFF benchmark reads wrk and Redis figures right and copies sessions at their real size."""

import os
import platform
import sys

import pytest
import redis

from tests.support.scripts import load_script

bench_bff = load_script("bench_bff")

# As wrk 4.1 prints it with --latency, including both error lines.
WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:40971/api/events
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    26.79ms   20.02ms 130.45ms   85.12%
    Req/Sec   318.21     80.33   470.00     70.00%
  Latency Distribution
     50%  812.00us
     75%   30.21ms
     90%   52.87ms
     99%    1.30s
  1911 requests in 3.01s, 1.02MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    634.88
Transfer/sec:    347.21KB
"""


def test_wrk_percentiles_are_read_in_milliseconds_whatever_unit_wrk_prints():
    figures = bench_bff.parse_wrk(WRK_OUTPUT)
    assert figures["p50_ms"] == pytest.approx(0.812)
    assert figures["p99_ms"] == pytest.approx(1300.0)


def test_wrk_request_count_rate_and_every_error_kind_are_read():
    figures = bench_bff.parse_wrk(WRK_OUTPUT)
    assert (figures["requests"], figures["rps"]) == (1911, pytest.approx(634.88))
    assert (figures["non_2xx"], figures["socket_errors"]) == (4, 3)


def test_thread_stats_latency_line_is_not_taken_for_a_percentile():
    without_distribution = WRK_OUTPUT.replace("     50%  812.00us\n", "")
    assert bench_bff.parse_wrk(without_distribution)["p50_ms"] is None


def test_unexpected_wrk_output_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="unexpected wrk output"):
        bench_bff.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_redis_commandstats_become_call_counts_per_command():
    info = {
        "cmdstat_get": {"calls": 12, "usec": 30, "usec_per_call": 2.5},
        "cmdstat_expire": {"calls": 3, "usec": 6, "usec_per_call": 2.0},
        "errorstat_ERR": {"count": 1},
    }
    assert bench_bff.parse_commandstats(info) == {"get": 12, "expire": 3}


def test_a_copied_session_key_keeps_its_prefix_and_length_under_a_new_id():
    key = b"bff:session:7hY2k_Qx-pL0"
    copy = bench_bff._renamed(key)
    assert copy.startswith(b"bff:session:") and len(copy) == len(key) and copy != key


def _run(rps: float, **cpu: float) -> dict:
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "non_2xx": 0, "socket_errors": 0,
            "cpu_ms_per_request": cpu, "redis_calls_per_request": {"total": 1.0}}  # fmt: skip


def test_the_path_ratio_counts_every_server_a_request_crosses():
    rounds = {
        "direct": [_run(6000, backend=0.3, redis=0.0)],
        "bff": [_run(1500, bff=0.8, backend=0.45, redis=0.05)],
        "minimal": [_run(1900, minimal=0.6, backend=0.45, redis=0.05)],
        "apache": [_run(2100, apache=0.35, backend=0.4, redis=0.05)],
    }
    ratios = bench_bff.summarise(rounds)["ratios_bff_over_apache"]
    assert ratios["proxy_cpu_per_request"]["median"] == pytest.approx(0.8 / 0.35)
    assert ratios["path_cpu_per_request"]["median"] == pytest.approx(1.3 / 0.8)


def test_the_floor_splits_the_bff_cost_into_the_stack_and_the_bff_own_work():
    rounds = {
        "direct": [_run(6000, backend=0.3, redis=0.0)] * 2,
        "bff": [_run(1500, bff=0.8, backend=0.45, redis=0.05)] * 2,
        "minimal": [_run(1900, minimal=0.6, backend=0.45, redis=0.05)] * 2,
        "apache": [_run(2100, apache=0.3, backend=0.4, redis=0.05)] * 2,
    }
    floor = bench_bff.summarise(rounds)["floor"]
    assert floor["minimal_proxy_cpu_over_apache"]["median"] == pytest.approx(2.0)
    assert floor["bff_cpu_over_minimal_proxy"]["median"] == pytest.approx(0.8 / 0.6)
    assert floor["minimal_throughput_over_apache"]["median"] == pytest.approx(1900 / 2100)


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [
        (1.6, 2.0, "below this floor in every round"),
        (1.1, 1.5, "at or under the BFF's target 1.5 in every round"),
        (1.4, 1.7, "inside this spread"),
    ],
)
def test_the_floor_verdict_names_where_the_cpu_target_lies_in_every_round(low, high, verdict):
    spread = {"min": low, "median": (low + high) / 2, "max": high}
    assert verdict in bench_bff.floor_verdict(spread, 1.5)


def test_the_level_switch_swaps_the_sessions_the_bff_reads_and_keeps_the_measured_one_current(
    redis_url,
):
    client = redis.Redis.from_url(redis_url)
    client.set("bff:login:me", "token-1")
    client.set("bff:session:small-only", "s", ex=600)
    small = bench_bff.dump_keys(client, list(client.scan_iter()))
    client.set("bff:session:large-only", "l")  # the copies made for the next level
    switch = bench_bff.LevelSwitch(client, small, "me")
    client.set("bff:login:me", "token-2")  # a refresh while the large level is in use
    switch.use(large=False)
    assert client.get("bff:session:large-only") is None
    assert client.get("bff:login:me") == b"token-2"  # not undone by the swap
    assert 0 < client.ttl("bff:session:small-only") <= 600
    switch.close()
    assert client.get("bff:session:large-only") == b"l"
    assert not switch.spare.dbsize()


def test_a_cookie_value_is_read_from_a_header_of_several():
    header = "theme=dark; bff-session=abc.def=; other=1"
    assert bench_bff.cookie_value(header, "bff-session") == "abc.def="
    with pytest.raises(RuntimeError):
        bench_bff.cookie_value(header, "missing")


def test_the_report_names_the_real_interpreter_binary_the_python_processes_run_under():
    named = bench_bff.interpreter()
    assert named.startswith(platform.python_version() + " (")
    assert os.path.realpath(sys.executable) in named  # the build, not the venv's link to it
