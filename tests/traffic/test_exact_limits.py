"""Exact rate limits under concurrency (issue 14): check and charge are one atomic step, so 50 concurrent requests
against 10 RPM give exactly 10 successes, over 100 trials, on two engines sharing Redis (as two workers would) and on
one engine's memory store; and rejected model names never become counter keys."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
from conftest import FROZEN_AT
from services import redis_server

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request
from mockapi.core.store import MemoryStore

KEY = "sk-test-exact-limits-0001"
RPM, CONCURRENT, TRIALS = 10, 50, 100
LIMITS = {"rate_limits": {"keys": {KEY: {"rpm": RPM}}}}
BODY = b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"count me"}],"max_tokens":5}'


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server for this module."""
    yield from redis_server(tmp_path_factory)


def _request(model_body: bytes = BODY) -> Request:
    return Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {KEY}", "content-type": "application/json"},
                   model_body)


def _trial(engines: list[Engine], pool: ThreadPoolExecutor) -> list[int]:
    """Fire ``CONCURRENT`` requests at once, alternating engines; their statuses."""
    start = threading.Barrier(CONCURRENT)

    def one(i: int) -> int:
        start.wait()  # all requests race for the last places in the window together
        return engines[i % len(engines)].handle(_request()).status

    return list(pool.map(one, range(CONCURRENT)))


def _run_trials(engines: list[Engine]) -> list[tuple[int, int]]:
    outcomes = []
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        for _ in range(TRIALS):
            engines[0].reset()  # a fresh window: every counter of the shared store dropped
            statuses = _trial(engines, pool)
            outcomes.append((statuses.count(200), statuses.count(429)))
    return outcomes


def test_two_engines_sharing_redis_let_exactly_the_limit_through(redis_url):
    engines = [build_engine(Settings(store=redis_url, extra=LIMITS), clock=Clock(frozen_at=FROZEN_AT)) for _ in range(2)]
    try:
        outcomes = _run_trials(engines)
    finally:
        for engine in engines:
            engine.store.close()
    assert outcomes == [(RPM, CONCURRENT - RPM)] * TRIALS, [o for o in outcomes if o != (RPM, CONCURRENT - RPM)]


def test_one_engine_on_the_memory_store_lets_exactly_the_limit_through():
    engine = build_engine(Settings(extra=LIMITS), store=MemoryStore(), clock=Clock(frozen_at=FROZEN_AT))
    outcomes = _run_trials([engine])
    assert outcomes == [(RPM, CONCURRENT - RPM)] * TRIALS, [o for o in outcomes if o != (RPM, CONCURRENT - RPM)]


def test_refused_and_failed_requests_are_not_counted():
    engine = build_engine(Settings(extra=LIMITS), store=MemoryStore(), clock=Clock(frozen_at=FROZEN_AT))
    bad = b'{"model":"gpt-4o-mini","messages":[{"role":"nobody","content":"x"}]}'
    assert {engine.handle(_request(bad)).status for _ in range(RPM * 2)} == {400}  # errors give their place back
    replies = [engine.handle(_request()) for _ in range(RPM + 1)]
    assert [r.status for r in replies] == [200] * RPM + [429]
    assert [r.header("x-ratelimit-remaining-requests") for r in replies[:3]] == [str(RPM - 1), str(RPM - 2), str(RPM - 3)]


def test_unknown_model_names_never_become_counter_keys(redis_url):
    """300 rejected model names of 10 kB each: the counters stay those of known models (and one for the rest)."""
    memory = MemoryStore()
    memory_engine = build_engine(Settings(), store=memory, clock=Clock(frozen_at=FROZEN_AT))
    redis_engine = build_engine(Settings(store=redis_url), clock=Clock(frozen_at=FROZEN_AT))
    redis_engine.store.reset()
    for i in range(300):
        name = f"no-such-model-{i}-" + "x" * 10_000
        body = b'{"model":"%s","messages":[{"role":"user","content":"hi"}]}' % name.encode()
        for engine in (memory_engine, redis_engine):
            assert engine.handle(_request(body)).status == 404
    assert not [k for k in memory._counters if "no-such-model" in k]
    assert len(memory._counters) < 20
    keys = [k.decode() for k in redis_engine.store.client.scan_iter(match="mockapi:c:*")]
    assert not [k for k in keys if "no-such-model" in k] and len(keys) < 20, keys
    redis_engine.store.close()
