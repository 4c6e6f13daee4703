"""The one Server-Sent Events encoder. Every stream the mock sends is framed here."""

from __future__ import annotations

from typing import Any

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
