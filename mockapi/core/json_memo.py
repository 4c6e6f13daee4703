"""Readers of what clients send again and again (tool lists, schemas), run once per JSON text.

Apart from :mod:`mockapi.core.jsonutil`, which is compiled (mockapi/core/compiled.py): mypyc 2.4 miscompiles this
decorator's closures (an UnboundLocalError), and it runs once per reader anyway.
"""

from __future__ import annotations

from functools import lru_cache, wraps
from typing import Any, Callable, TypeVar

from .jsonutil import dumps, loads, right_sized

T = TypeVar("T")


def once_per_json_text(*, maxsize: int = 256, max_bytes: int = 64 * 1024,
                       too_large: Callable[..., Any] | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Make ``read(value, *rest)`` run once per JSON text of ``value`` (and the same ``rest``), on a parsed copy of its own.

    For what clients send again and again (tool lists, schemas): every caller sending the same text gets the same
    answer, so none may change it. A value that is not JSON is read as it stands; so is one longer than ``max_bytes``
    as JSON (the cache would keep its copy), or it goes to ``too_large(value, text, *rest)`` when that is given.
    """
    def decorate(read: Callable[..., T]) -> Callable[..., T]:
        @lru_cache(maxsize=maxsize)
        def from_text(text: bytes, *rest: Any) -> T:
            return read(loads(text), *rest)

        @wraps(read)
        def reader(value: Any, *rest: Any) -> T:
            try:
                text = dumps(value)
            except TypeError:  # not JSON (a value built in Python)
                return read(value, *rest)
            if len(text) <= max_bytes:
                return from_text(right_sized(text), *rest)  # the cache keeps the text it misses on: no spare buffer with it
            return too_large(value, text, *rest) if too_large is not None else read(value, *rest)

        return reader

    return decorate
