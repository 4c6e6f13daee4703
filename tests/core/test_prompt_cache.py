"""The prompt cache's parts that no single request shows: who shares it, which models cache how, its bound."""

from __future__ import annotations

import pytest
import store_fixtures

from mockapi.core import prompt_cache
from mockapi.core.catalog import ModelInfo
from mockapi.core.store import MemoryStore

store, redis_url = store_fixtures.store, store_fixtures.redis_url  # each store implementation, as fixtures here


@pytest.mark.parametrize(("tenant", "scope"), [
    ("key:0123", "key:0123"),  # a key's own tenant
    ("key:0123/org:-/proj:p1", "key:0123"),  # a project the key chose: still the key's organization
    ("key:0123/org:o1/proj:-", "key:0123/org:o1"),  # an organization the key named freely: its own
    ("org:acme/proj:p1", "org:acme"),  # a granted organization: every project shares
    ("org:acme/proj:-", "org:acme"),
    ("org:-/proj:p1", "org:-/proj:p1"),  # a project granted without an organization keeps to itself
])
def test_the_cache_is_shared_by_an_organization(tenant, scope):
    assert prompt_cache.organization_scope(tenant) == scope


@pytest.mark.parametrize(("model", "exact"), [
    (ModelInfo("gpt-5.6"), True), (ModelInfo("gpt-5.6-sol"), True), (ModelInfo("gpt-6"), True),
    (ModelInfo("ft:gpt-5.6:acme::x1", base="gpt-5.6"), True),
    (ModelInfo("gpt-5.5"), False), (ModelInfo("gpt-5"), False), (ModelInfo("gpt-4o"), False), (ModelInfo("o3"), False),
])
def test_gpt_5_6_and_later_cache_at_breakpoints(model, exact):
    assert prompt_cache.breakpoint_caching(model) is exact
    assert prompt_cache.unused(model).written == (0 if exact else None)


def test_a_partition_keeps_its_longest_living_entries(monkeypatch):
    monkeypatch.setattr(prompt_cache, "MAX_ENTRIES", 3)
    store, model, body = MemoryStore(), ModelInfo("gpt-4o"), {"model": "gpt-4o"}
    for k in range(5):  # five prompts, a second apart: the two oldest go
        prefixes = prompt_cache.Prefixes(f"prompt {k}".encode())
        prefixes.mark(2048)
        prompt_cache.settle(store, "key:t", 1000.0 + k, model, body, prefixes)
    [stored] = store.list("key:t", prompt_cache.KIND)
    assert sorted(e[0] for e in stored["entries"].values()) == [1602.0, 1603.0, 1604.0]


def prompt(head: bytes, *ends: int, marked: int | None = None) -> prompt_cache.Prefixes:
    """A prompt's prefixes, fed by hand: ``head``, then a boundary at each of ``ends`` (a breakpoint at ``marked``)."""
    found = prompt_cache.Prefixes(head)
    for k, end in enumerate(ends):
        found.feed(f"part {k}, {end} tokens in".encode())
        found.mark(end, {"mode": "explicit"} if end == marked else None, turn=k == len(ends) - 1)
    return found


def test_every_store_keeps_the_cache_and_a_tenant_reset_drops_it(store):
    model, body = ModelInfo("gpt-5.6"), {"model": "gpt-5.6"}
    use = prompt_cache.settle(store, "org:acme/proj:p1", 0.0, model, body, prompt(b"p", 1500, 3000, marked=1500))
    assert use == prompt_cache.CacheUse(0, 3000)
    # Another project of the organization, continuing past the marked part: it reads the mark, writes the rest.
    use = prompt_cache.settle(store, "org:acme/proj:p2", 10.0, model, body, prompt(b"p", 1500, 2500))
    assert use == prompt_cache.CacheUse(1500, 1000)
    prompt_cache.forget(store, "org:acme/proj:p2")
    use = prompt_cache.settle(store, "org:acme/proj:p1", 20.0, model, body, prompt(b"p", 1500, 3000, marked=1500))
    assert use == prompt_cache.CacheUse(0, 3000)
