"""Counters stay bounded (issue 14): the memory store drops its least recently used counters past a cap, Redis
occurrence counters expire, and ``reserve`` adds all or nothing."""

from __future__ import annotations

from conftest import API_KEY, FROZEN_AT
from store_fixtures import redis_url, store  # noqa: F401 - fixtures

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import SHARED_OCCURRENCE_TTL, Request
from mockapi.core.store import MemoryStore


def test_memory_counters_are_capped_least_recently_used_first():
    store = MemoryStore(max_counters=100)
    store.incr("rate-window", 1, 3600)
    for i in range(1000):
        store.incr(f"occurrence:{i}", 1, 10 * 365 * 86400)
        store.incr("rate-window", 1, 3600)  # used all along: never the least recent
    assert len(store._counters) <= 100
    assert store.incr("rate-window", 0, 3600) == 1001
    assert store.incr("occurrence:999", 0, 3600) == 1 and store.incr("occurrence:0", 0, 3600) == 0


def test_reserve_adds_all_or_nothing(store):
    assert store.reserve([("a", 1, 1, 2, 60), ("b", 5, 5, 10, 60)]) == (True, [1, 5])
    assert store.reserve([("a", 1, 1, 2, 60), ("b", 5, 5, 10, 60)]) == (True, [2, 10])
    assert store.reserve([("a", 1, 1, 5, 60), ("b", 5, 5, 10, 60)]) == (False, [2, 10])  # b is full: a is untouched
    assert store.reserve([("a", 1, 1, None, 60), ("c", 0, 0, None, 60)]) == (True, [3, 0])
    assert store.incr_many([("a", 0, 60), ("b", 0, 60)]) == [3, 10]
    assert store.healthy() is True


def test_redis_occurrence_counters_expire(redis_url):
    engine = build_engine(Settings(store=redis_url), clock=Clock(frozen_at=FROZEN_AT))
    engine.store.reset()
    body = b'{"model":"gpt-4o-mini","store":true,"messages":[{"role":"user","content":"keep me"}]}'
    request = Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}", "content-type": "application/json"}, body)
    first, second = engine.handle(request), engine.handle(request)
    assert first.status == second.status == 200 and first.body != second.body  # each call its own object
    keys = list(engine.store.client.scan_iter(match="mockapi:c:*occurrence*"))
    assert keys and all(0 < engine.store.client.pttl(k) <= SHARED_OCCURRENCE_TTL * 1000 for k in keys)
    engine.store.close()
