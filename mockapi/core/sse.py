"""The one Server-Sent Events encoder. Every stream the mock sends is framed here."""

from __future__ import annotations

import random
from itertools import chain, repeat
from typing import Any, Iterable, Iterator

from .jsonutil import dumps

DONE = b"data: [DONE]\n\n"


def frame(data: Any, event: str | None = None) -> bytes:
    """One SSE frame: an optional ``event:`` line, then ``data:`` with compact JSON (or raw text)."""
    payload = data.encode() if isinstance(data, str) else dumps(data)
    if event is None:
        return b"data: " + payload + b"\n\n"
    return b"event: " + event.encode() + b"\ndata: " + payload + b"\n\n"


def parse(data: bytes) -> list[tuple[str | None, str]]:
    """(event name, data text) for each SSE frame in ``data``: what :func:`frame` wrote, read back."""
    out = []
    for raw in data.replace(b"\r\n", b"\n").split(b"\n\n"):
        name, lines = None, []
        for line in raw.decode("utf-8").split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                value = line[5:]
                lines.append(value[1:] if value.startswith(" ") else value)
        if lines:
            out.append((name, "\n".join(lines)))
    return out


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
PAD = _Hole("\x00pad\x00")  # where a Template's frames carry their obfuscation padding (see :func:`paddings`)
_PAD_TEXT = dumps(PAD)[1:-1]  # inside its quotes: a padding is letters and digits, written as it is


def _padding_pool(size: int = 256) -> tuple[bytes, ...]:
    """The paddings a stream draws from: ``size`` strings of random letters and digits, 1 to 16 of them (each length
    equally often), the same in every process."""
    r = random.Random("mockapi stream obfuscation")
    letters = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return tuple(bytes(r.choices(letters, k=1 + n % 16)) for n in range(size))


_PADDINGS = _padding_pool()


def paddings(r: random.Random, batch: int = 1024) -> Iterator[bytes]:
    """Endless stream-obfuscation paddings drawn from ``r``: 1 to 16 random letters and digits each.

    The real API pads each streamed chunk and text delta with an ``obfuscation`` string of varying length (so the
    size of an event does not tell its text), unless ``stream_options.include_obfuscation`` is false. Each is one of
    256 fixed paddings, picked by a random byte: drawn in C, a batch at a time (a 500-token stream takes one per
    token, and cutting fresh ones cost it a quarter more time).
    """
    return chain.from_iterable(map(_batch_of_paddings, repeat(r), repeat(batch)))


def _batch_of_paddings(r: random.Random, batch: int) -> Iterator[bytes]:
    return map(_PADDINGS.__getitem__, r.randbytes(batch))


class Template:
    """Frames of one JSON value, alike but for what fills its :data:`HOLE` (say, a chat chunk's delta).

    What surrounds the hole is encoded once; each frame then encodes only what fills it, and is byte for
    byte ``frame(data with the hole filled, event)``: compact JSON of a value does not depend on where the
    value sits.
    """

    __slots__ = ("_data", "_event", "_pads", "_before", "_middle", "_after")

    def __init__(self, data: Any, event: str | None = None, pads: Iterator[bytes] | None = None) -> None:
        """``pads``: when the data has a :data:`PAD` (after its HOLE), each frame's padding, in turn."""
        self._data, self._event, self._pads = data, event, pads
        padded = _holds(data, PAD)
        if padded and pads is None:
            raise ValueError("a Template with a PAD needs its paddings")
        whole = frame(data, event)
        before, found, after = whole.partition(_HOLE_JSON)
        if not found:
            raise ValueError("a Template needs the HOLE in its data")
        # The text around the holes may spell one once more (a model name of "\0hole\0", say): then each
        # frame is encoded whole, with the holes found by identity.
        spelled_once = _HOLE_JSON not in after and (not padded or (whole.count(_PAD_TEXT) == 1 and _PAD_TEXT in after))
        self._before = before if spelled_once else None
        self._middle, _, self._after = after.partition(_PAD_TEXT) if padded else (None, None, after)

    def frame(self, value: Any) -> bytes:
        """The frame with ``value`` in the hole (and the next padding in the pad)."""
        if self._before is None:
            pad = next(self._pads).decode() if self._middle is not None else None  # type: ignore[arg-type]
            return frame(_filled(_filled(self._data, value, HOLE), pad, PAD), self._event)
        if self._middle is None:
            return self._before + dumps(value) + self._after
        return self._before + dumps(value) + self._middle + next(self._pads) + self._after  # type: ignore[arg-type]

    def frames(self, values: Iterable[Any]) -> Iterator[bytes]:
        """The frames with each of ``values`` in the hole, in order, lazily (built in C, no Python per frame)."""
        if self._before is None:
            return map(self.frame, values)
        if self._middle is None:
            return map(b"".join, zip(repeat(self._before), map(dumps, values), repeat(self._after)))
        return map(b"".join, zip(repeat(self._before), map(dumps, values), repeat(self._middle), self._pads,  # type: ignore[arg-type]
                                 repeat(self._after)))


def _holds(data: Any, hole: Any) -> bool:
    """Whether ``data`` holds ``hole`` itself (not an equal string) anywhere."""
    if data is hole:
        return True
    if isinstance(data, dict):
        return any(_holds(v, hole) for v in data.values())
    if isinstance(data, list):
        return any(_holds(v, hole) for v in data)
    return False


def _filled(data: Any, value: Any, hole: Any = HOLE) -> Any:
    """``data`` with ``hole`` (the object itself, not an equal string) replaced by ``value``."""
    if data is hole:
        return value
    if isinstance(data, dict):
        return {k: _filled(v, value, hole) for k, v in data.items()}
    if isinstance(data, list):
        return [_filled(v, value, hole) for v in data]
    return data


def framed(events: Iterable[Any], event_type: type) -> Iterator[Any]:
    """Each ``event_type`` event framed by :func:`frame`, anything else (a Pause, a fault's bytes) passed on: lazily,
    as the stream is read (a function, not a generator expression, which compiled code would make a list at once)."""
    for event in events:
        yield frame(event.data, event.name) if isinstance(event, event_type) else event
