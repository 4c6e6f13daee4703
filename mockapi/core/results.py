"""What an operation returns, before any transport renders it; and what the engine hands a door."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Union


@dataclass
class JSON:
    """A JSON body."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Event:
    """One stream event: an optional SSE ``event:`` name and its data (a dict, or raw text)."""

    data: Any
    name: str | None = None


@dataclass
class Stream:
    """An event stream in one of the contract's dialects (chat, responses, assistants)."""

    events: Any  # Iterable[Event], or sse.Framed frames
    dialect: str
    headers: dict[str, str] = field(default_factory=dict)
    tokens: int = 0  # what the stream charges against the token rate limit


@dataclass
class Binary:
    """Raw bytes (audio, images, file content), possibly in chunks."""

    chunks: Iterable[bytes]
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class Pause:
    """A pause a door must honour between two chunks (latency simulation)."""

    seconds: float


@dataclass(frozen=True)
class Cut:
    """A stream item telling a door to drop the connection at this point (fault injection)."""

    reason: str = "cut"


Chunk = Union[bytes, Pause, Cut]
# ``Reply.meta["connection"]``: "reset" (close the socket before any header) or "stall" (send nothing
# until the client gives up). Doors honour both; see mockapi.traffic.asgi and mockapi.doors.transport.
# ``Reply.meta["json"]``: (body bytes, the object they encode) for a rendered JSON answer, so an observer
# reads the answer without parsing it again; valid only while ``reply.body`` is still those very bytes.


@dataclass
class Reply:
    """The engine's answer, ready for any door: status, headers, and a body or a chunk iterator."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    stream: Iterator[Chunk] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive)."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)
