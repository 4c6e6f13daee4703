"""``once_per_json_text``: a reader of what clients send again and again runs once per JSON text."""

from __future__ import annotations

import json
from typing import Any

from mockapi.core.json_memo import once_per_json_text


def _counting_reader(**options: Any):
    seen: list[Any] = []

    @once_per_json_text(**options)
    def read(value: Any, suffix: str = "") -> str:
        seen.append(value)
        return f"{len(value)}{suffix}"

    return read, seen


def test_the_same_text_is_read_once_and_a_changed_one_again():
    read, seen = _counting_reader()
    assert read({"a": [1, 2]}, "!") == "1!" and read({"a": [1, 2]}, "!") == "1!"
    assert len(seen) == 1
    assert read({"a": [1, 3]}, "!") == "1!" and read({"a": [1, 2]}, "?") == "1?"  # another text, another argument
    assert len(seen) == 3


def test_the_reader_gets_a_copy_of_its_own():
    read, seen = _counting_reader()
    value = {"tools": ["x"]}
    read(value)
    value["tools"].append("y")  # the caller changes its own value afterwards: the cached reading is not affected
    assert seen[0] == {"tools": ["x"]} and seen[0] is not value
    assert read({"tools": ["x"]}) == "1" and len(seen) == 1


def test_a_value_that_is_not_json_is_read_as_it_stands_every_time():
    read, seen = _counting_reader()
    odd = {1: object()}  # orjson and json both refuse it
    read(odd)
    read(odd)
    assert seen == [odd, odd] and seen[0] is odd


def test_a_large_value_is_read_every_time_or_handed_to_too_large():
    read, seen = _counting_reader(max_bytes=10)
    big = {"text": "x" * 20}
    read(big)
    read(big)
    assert len(seen) == 2 and seen[0] is big
    handed: list[tuple[Any, bytes]] = []
    read_large, seen_large = _counting_reader(max_bytes=10, too_large=lambda value, text, *rest: handed.append((value, text)) or "large")
    assert read_large(big) == "large" and not seen_large
    assert handed[0][0] is big and handed[0][1].startswith(b'{"text":')


def test_the_cache_keeps_no_more_than_the_texts_it_holds():
    # orjson 3.12 and later return 4 kB or more of buffer behind a short text; a cached key must not keep it
    # (before jsonutil.right_sized, 200 short tool lists held 200 of those buffers).
    import gc
    import tracemalloc

    read, _ = _counting_reader(maxsize=256)
    values = [{"tools": [{"type": "function", "name": f"tool_{i}"}]} for i in range(200)]
    text_bytes = sum(len(json.dumps(v, separators=(",", ":"))) for v in values)
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for value in values:
            read(value)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < text_bytes + 200 * 1024, (grown, text_bytes)  # the texts and each entry's objects, no buffers
