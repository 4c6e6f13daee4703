"""The one Server-Sent Events encoder. Every stream the mock sends is framed here."""

from __future__ import annotations

from itertools import repeat
from typing import Any, Iterable, Iterator

from .jsonutil import dumps

DONE = b"data: [DONE]\n\n"


def frame(data: Any, event: str | None = None) -> bytes:
    """One SSE frame: an optional ``event:`` line, then ``data:`` with compact JSON (or raw text)."""
    payload = data.encode() if isinstance(data, str) else dumps(data)
    if event is None:
        return b"data: " + payload + b"\n\n"
    return b"event: " + event.encode() + b"\ndata: " + payload + b"\n\n"


def comment(text: str = "") -> bytes:
    """A comment line (keep-alive); SSE clients ignore it."""
    return b": " + text.encode() + b"\n\n"


class Framed:
    """Stream events that are frames already (bytes from this module): the engine sends them as they are.

    A handler's :class:`~mockapi.core.results.Stream` may carry these as its events; the engine then adds
    no work per event (a chat stream has one per token).
    """

    __slots__ = ("frames",)

    def __init__(self, frames: Iterable[bytes]) -> None:
        self.frames = frames

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.frames)


class _Hole(str):
    """The type of :data:`HOLE`: no value a caller sends can be this very object."""

    __slots__ = ()


HOLE = _Hole("\x00hole\x00")  # where a Template's frames differ; it encodes as any string would
_HOLE_JSON = dumps(HOLE)


class Template:
    """Frames of one JSON value, alike but for what fills its :data:`HOLE` (say, a chat chunk's delta).

    What surrounds the hole is encoded once; each frame then encodes only what fills it, and is byte for
    byte ``frame(data with the hole filled, event)``: compact JSON of a value does not depend on where the
    value sits.
    """

    __slots__ = ("_data", "_event", "_before", "_after")

    def __init__(self, data: Any, event: str | None = None) -> None:
        self._data, self._event = data, event
        whole = frame(data, event)
        before, found, after = whole.partition(_HOLE_JSON)
        if not found:
            raise ValueError("a Template needs the HOLE in its data")
        # The text around the hole may spell it once more (a model name of "\0hole\0", say): then each
        # frame is encoded whole, with the hole found by identity.
        self._before, self._after = (before, after) if _HOLE_JSON not in after else (None, None)

    def frame(self, value: Any) -> bytes:
        """The frame with ``value`` in the hole."""
        if self._before is None:
            return frame(_filled(self._data, value), self._event)
        return self._before + dumps(value) + self._after

    def frames(self, values: Iterable[Any]) -> Iterator[bytes]:
        """The frames with each of ``values`` in the hole, in order, lazily (built in C, no Python per frame)."""
        if self._before is None:
            return map(self.frame, values)
        return map(b"".join, zip(repeat(self._before), map(dumps, values), repeat(self._after)))


def _filled(data: Any, value: Any) -> Any:
    """``data`` with :data:`HOLE` (the object itself, not an equal string) replaced by ``value``."""
    if data is HOLE:
        return value
    if isinstance(data, dict):
        return {k: _filled(v, value) for k, v in data.items()}
    if isinstance(data, list):
        return [_filled(v, value) for v in data]
    return data
