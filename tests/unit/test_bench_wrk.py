"""The bench reads wrk's figures from the line its Lua `done` hook writes."""

from __future__ import annotations

import pytest

from bench import wrk

SAMPLE = """Running 3s test @ http://127.0.0.1:8000
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   150.00ms   20.00ms 400.00ms   70.00%
  960 requests in 3.00s, 1.20MB read
  Non-2xx or 3xx responses: 12
Requests/sec:    320.00
WRK-JSON {"requests": 960, "duration_s": 3.000000, "connect": 0, "read": 1, "write": 0,\
 "timeout": 2, "status": 12, "latency_ms": {"p50": 136.000, "p90": 200.500, "p99": 473.250,\
 "p999": 480.000, "max": 490.000, "mean": 150.000}}
"""


def test_parse_reads_the_summary_line() -> None:
    result = wrk.parse(SAMPLE)
    assert result.requests == 960
    assert result.errors == 3  # read + timeout
    assert result.non_2xx == 12
    assert result.p50_ms == 136.0
    assert result.p99_ms == 473.25
    assert result.rate == pytest.approx((960 - 12) / 3.0)


def test_parse_refuses_output_without_the_summary() -> None:
    with pytest.raises(wrk.WrkError, match="no summary"):
        wrk.parse(SAMPLE.split("WRK-JSON")[0])


def test_parse_refuses_a_malformed_summary() -> None:
    with pytest.raises(wrk.WrkError, match="malformed"):
        wrk.parse('WRK-JSON {"requests": 1}')


def test_script_rotates_paths_and_numbers_bodies() -> None:
    lua = wrk.script(["/a?x=1", '/b"q'], method="POST", headers={"A": "b"}, bodies=['{"n": {n}}'])
    assert '"/a?x=1", "/b\\"q"' in lua
    assert 'local method = "POST"' in lua
    assert '["A"] = "b"' in lua
    with pytest.raises(ValueError):
        wrk.script([])


def test_profile_sums_collapsed_stacks() -> None:
    from bench.profile import summarise

    total, inclusive, exclusive = summarise("a;b;c 3\na;c 2\nnot a stack\n", match="")
    assert total == 5
    assert inclusive["a"] == 5 and inclusive["c"] == 5 and inclusive["b"] == 3
    assert exclusive["c"] == 5 and exclusive["b"] == 0
