"""A cost guard for the in-process door that needs no clock: it counts the work one chat request does.

Timings flake on a shared CI machine (the timed guard this replaces failed a CI run at 2% over its bound
on a loaded box), so this counts Python and C function calls with ``sys.setprofile`` instead: the same
code does the same calls on any machine, so the count is exact and the test cannot flake. It measures
two things for a small non-streaming chat:

- the engine's own calls per request (``Engine.handle``: routing, validation, the answer, rate limits,
  journal, usage counters);
- the whole in-process request through a plain ``httpx2.Client`` (the plugin's interception plus the
  engine), as a ratio over the same POST answered by a trivial ``httpx2.MockTransport`` route, so an
  httpx2 upgrade moves both sides.

Calibration (this tree, openai 3.57 / httpx2 pinned by tests/constraints.txt): 617 engine calls and a
ratio of 2.40 (1355 over 564), after the fifth profiling pass of issue 15 (bench/PROFILE.md). The fourth pass
had left 622 calls and 2.41, the third 682 and 2.52, the second 726 and 2.60, the first 951 and 3.03, and
before it 1128 and 3.39; the CPU time per request fell faster than the calls did (calls understate time), so
a 30% rise in calls is a larger slowdown.
A failure means a change made every in-process request do markedly more work: profile it with
``python bench/profile_chat.py``; the timed comparison lives in ``bench/perf_guard.py``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import pytest

CALIBRATED_ENGINE_CALLS = 617
CALIBRATED_RATIO = 2.40  # in-process request calls / bare route calls
REGRESSION = 1.30  # fail on more than 30% more work per request
URL = "https://api.openai.com/v1/chat/completions"
HEADERS = {"authorization": "Bearer sk-cost-guard-0123456789", "content-type": "application/json"}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the guard."}]}


def count_calls(fn: Callable[[], object]) -> int:
    """How many Python and C functions ``fn()`` calls, itself included."""
    seen = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal seen
        if event in ("call", "c_call"):
            seen += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return seen


@pytest.fixture(scope="module")
def counts() -> dict[str, int]:
    """Calls per request for the bare route, the in-process request and the engine alone (after warm-up)."""
    httpx2 = pytest.importorskip("httpx2")
    from mockapi.core.engine import Request
    from mockapi.testing.mocking import Options
    from mockapi.testing.session import inprocess

    raw = json.dumps(CHAT).encode()
    with inprocess(Options()) as session:
        body = session.engine.handle(Request("POST", "/v1/chat/completions", HEADERS, raw)).body
        route = httpx2.MockTransport(lambda request: httpx2.Response(200, content=body, headers={"content-type": "application/json"}))
        with httpx2.Client(transport=route, headers=HEADERS) as bare, httpx2.Client(headers=HEADERS) as mocked:
            ways = {"bare": lambda: bare.post(URL, content=raw).read(),
                    "inprocess": lambda: mocked.post(URL, content=raw).read(),
                    "engine": lambda: session.engine.handle(Request("POST", "/v1/chat/completions", HEADERS, raw))}
            for way in ways.values():
                for _ in range(5):  # warm-up: validators compiled, caches filled
                    way()
            # The least of three: a cache refilled mid-run (a new rate-limit window) adds a few calls once.
            return {name: min(count_calls(way) for _ in range(3)) for name, way in ways.items()}


def test_the_engine_does_no_more_than_30_percent_more_calls_per_chat_than_calibrated(counts):
    bound = CALIBRATED_ENGINE_CALLS * REGRESSION
    assert counts["engine"] < bound, (
        f"Engine.handle makes {counts['engine']} calls per chat; the bound is {bound:.0f} "
        f"({CALIBRATED_ENGINE_CALLS} calibrated, +30%)")


def test_an_in_process_request_costs_no_more_than_30_percent_more_than_calibrated_over_a_bare_route(counts):
    ratio = counts["inprocess"] / counts["bare"]
    bound = CALIBRATED_RATIO * REGRESSION
    assert ratio < bound, (
        f"an in-process chat makes {counts['inprocess']} calls, {ratio:.2f}x a bare route ({counts['bare']}); "
        f"the bound is {bound:.2f}x ({CALIBRATED_RATIO}x calibrated, +30%)")


def test_the_counter_sees_work_added_to_a_request():
    # The guard can fail: a request that also digests its body 200 times more counts as more work.
    from mockapi.core.determinism import digest

    baseline = count_calls(lambda: digest("x"))
    assert count_calls(lambda: [digest("x") for _ in range(200)]) > 100 * baseline
