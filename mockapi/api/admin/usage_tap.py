"""The usage recorder's tap on a stream: the usage its frames carry, counted however the stream ends.

A module of its own, kept out of the compiled hot path (mockapi/core/compiled.py): its ``finally`` counts the
exchange even when a client drops a stream unread, and a compiled generator dropped unclosed skips its ``finally``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator


def counting(stream: Iterator[Any], usage_in: Callable[[bytes], dict[str, int] | None],
             finish: Callable[[dict[str, int] | None], None]) -> Iterator[Any]:
    """``stream`` passed on; ``finish`` gets the last usage ``usage_in`` found in a frame naming one (or None)."""
    found: dict[str, int] | None = None
    try:
        for chunk in stream:
            if isinstance(chunk, (bytes, bytearray)) and b'"usage"' in chunk:
                found = usage_in(bytes(chunk)) or found
            yield chunk
    finally:
        finish(found)
