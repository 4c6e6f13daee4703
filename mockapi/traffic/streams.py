"""Stream chaos: reshape an encoded SSE stream without touching what it says.

Every transform takes and yields door chunks (bytes, :class:`Pause`, :class:`Cut`) lazily,
so a client still reads the first bytes before the last are produced.
"""

from __future__ import annotations

import random
from typing import Any, Iterable, Iterator

from mockapi.core import sse
from mockapi.core.results import Chunk, Cut

SERVER_ERROR = {"message": "The server had an error while processing your request. Sorry about that!",
                "type": "server_error", "param": None, "code": "server_error"}


def error_frame(dialect: str, sequence_number: int, error: dict[str, Any] | None = None) -> bytes:
    """The mid-stream error event of a dialect: chat ``data: {"error":…}``, Responses/Assistants ``event: error``."""
    err = {**SERVER_ERROR, **(error or {})}
    if dialect == "responses":
        return sse.frame({"type": "error", "code": err["code"], "message": err["message"], "param": err["param"],
                          "sequence_number": sequence_number}, "error")
    if dialect == "assistants":
        return sse.frame({"code": err["code"], "message": err["message"], "param": err["param"], "type": err["type"]}, "error")
    return sse.frame({"error": err})


def _is_terminator(chunk: bytes, terminators: Iterable[bytes]) -> bool:
    return any(chunk == t for t in terminators)


def stop_after(chunks: Iterable[Chunk], events: int, ending: Chunk, terminators: Iterable[bytes] = ()) -> Iterator[Chunk]:
    """Pass ``events`` event chunks, then yield ``ending`` (an error frame or a :class:`Cut`) and stop."""
    terminators = tuple(terminators)
    sent = 0
    for chunk in chunks:
        if isinstance(chunk, bytes):
            if sent >= events or _is_terminator(chunk, terminators):
                break
            sent += 1
        yield chunk
    yield ending


def keepalive(chunks: Iterable[Chunk], comment: bytes = sse.comment("keep-alive")) -> Iterator[Chunk]:
    """A keep-alive comment before every chunk of bytes."""
    for chunk in chunks:
        if isinstance(chunk, bytes):
            yield comment
        yield chunk


def crlf(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """Every ``\\n`` line ending sent as ``\\r\\n``."""
    for chunk in chunks:
        yield chunk.replace(b"\n", b"\r\n") if isinstance(chunk, bytes) else chunk


def split(chunks: Iterable[Chunk], r: random.Random, largest: int = 16) -> Iterator[Chunk]:
    """The same bytes re-cut at arbitrary boundaries (pieces of 1..``largest`` bytes), ignoring frame edges."""
    pending = b""
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            yield from _pieces(pending, r, largest)
            pending = b""
            yield chunk
            continue
        pending += chunk
        while len(pending) > largest:
            size = r.randint(1, largest)
            yield pending[:size]
            pending = pending[size:]
    yield from _pieces(pending, r, largest)


def _pieces(data: bytes, r: random.Random, largest: int) -> Iterator[bytes]:
    while data:
        size = r.randint(1, largest)
        yield data[:size]
        data = data[size:]


def cut_body(body: bytes) -> Iterator[Chunk]:
    """A non-stream body that stops halfway, then drops the connection."""
    yield body[: len(body) // 2]
    yield Cut("body cut")
