"""The instruction benchmark reads callgrind's total and cancels start-up out of each call."""

import pytest

from tests.support.scripts import load_script

bench_instructions = load_script("bench_instructions")

# As valgrind 3.19 prints it at the end of a callgrind run.
CALLGRIND_STDERR = """\
==6010== Callgrind, a call-graph generating cache profiler
==6010== Command: python scripts/bench_instructions.py --child bff --calls 50
==6010==
==6010== Events    : Ir
==6010== Collected : 585654172
==6010==
==6010== I   refs:      585,654,172
"""


def test_the_callgrind_total_is_read_from_valgrinds_closing_lines():
    assert bench_instructions.collected(CALLGRIND_STDERR) == 585_654_172


def test_a_run_without_a_callgrind_total_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="no callgrind total"):
        bench_instructions.collected("valgrind: command not found")


def test_start_up_cancels_out_of_the_instructions_per_call():
    start_up, each = 400_000_000, 1_900_000
    few = (50, start_up + 50 * each)
    many = (250, start_up + 250 * each)
    assert bench_instructions.per_call(few, many) == pytest.approx(each)


def test_the_second_run_must_make_more_calls_than_the_first():
    with pytest.raises(ValueError, match="more calls"):
        bench_instructions.per_call((250, 10), (50, 5))
