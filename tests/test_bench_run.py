"""bench/run.py's medians over rounds: each round's ratio is taken against the bare run of the same round."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import medians  # noqa: E402


def _run(rps: int, p99: float = 5.0, bad: int = 0) -> dict:
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": p99, "non_2xx": bad}


def test_each_round_is_compared_with_its_own_bare_run() -> None:
    # The host slows in round 2: bare and mock both halve, and the ratio must not move.
    runs = {"bare:chat_varied_c32": [_run(20000), _run(10000), _run(20000)],
            "mock:chat_varied_c32": [_run(6000), _run(3000), _run(6000, bad=2)],
            "mock:responses_tool_c32": [_run(4000, 9.0), _run(2000, 12.0), _run(4000, 11.0)]}
    figures = medians(runs)
    assert figures["mock:chat_varied_c32"]["ratios"] == [0.3, 0.3, 0.3]
    assert figures["mock:chat_varied_c32"]["rps"] == 6000
    assert figures["mock:chat_varied_c32"]["non_2xx"] == 2  # summed over rounds, never hidden by a median
    assert figures["mock:responses_tool_c32"]["ratios"] == [0.2, 0.2, 0.2]  # against bare at the same concurrency
    assert figures["mock:responses_tool_c32"]["p99_ms"] == 11.0
    assert figures["mock:responses_tool_c32"]["rounds_rps"] == [4000, 2000, 4000]


def test_one_round_keeps_the_plain_figures() -> None:
    figures = medians({"bare:chat_varied_c1": [_run(900)], "mock:chat_varied_c1": [_run(300)]})
    assert figures["mock:chat_varied_c1"] == {"rps": 300, "p50_ms": 1.0, "p99_ms": 5.0, "non_2xx": 0}
