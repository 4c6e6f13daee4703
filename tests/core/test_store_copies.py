"""Stored objects are the store's own: a reader gets a copy (memory as Redis), and the memory store keeps them as
JSON text, which the garbage collector never walks (its pauses grew with every stored Responses reply)."""

from __future__ import annotations

import copy
import gc
import tracemalloc

from store_fixtures import redis_url, store  # noqa: F401 - fixtures

from mockapi.core.store import MemoryStore

NESTED = {"id": "resp_1", "output": [{"type": "message", "content": [{"type": "output_text", "text": "hi"}]}], "n": 1.5}


def test_what_a_reader_changes_stays_with_the_reader(store):  # noqa: F811
    store.put("t", "response", "resp_1", copy.deepcopy(NESTED))
    for read in (store.get("t", "response", "resp_1"), store.list("t", "response")[0], next(store.scan("t", "response"))):
        assert read == NESTED
        read["output"][0]["content"].clear()
        read["n"] = 2
    assert store.get("t", "response", "resp_1") == NESTED


def test_what_is_put_is_copied_at_put():
    memory = MemoryStore()
    obj = {"id": "a", "items": [1, 2]}
    memory.put("t", "thing", "a", obj)
    obj["items"].append(3)
    assert memory.get("t", "thing", "a") == {"id": "a", "items": [1, 2]}


def test_stored_objects_are_not_tracked_by_the_garbage_collector():
    memory = MemoryStore()
    gc.collect()
    before = len(gc.get_objects())
    for i in range(2000):
        memory.put("t", "response", f"resp_{i}", {**NESTED, "id": f"resp_{i}"})
    gc.collect()
    # Dictionaries kept as they are would add at least 4 tracked containers each (8,000 here).
    assert len(gc.get_objects()) - before < 500


def test_a_small_object_costs_memory_of_its_size():
    memory = MemoryStore()
    tracemalloc.start()
    try:
        for i in range(5000):
            memory.put("t", "response.unstored", f"resp_{i:032d}", {"id": f"resp_{i:032d}"})
        used, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # ~50 bytes of text each, plus the id and the bucket's indexes: well under 500 bytes. orjson's bytes kept as
    # they come would hold the encoder's ~4 kB buffer each (20 MB here).
    assert used < 5000 * 500
