"""A Realtime session in the request journal: one entry per connection, its frames the events both ways.

The journal (``mockapi/traffic/journal.py``) records what the engine's observers are shown. A WebSocket
session never goes through :meth:`Engine.handle`, so the door shows the observers a ``101`` reply whose
stream is fed one frame per event: ``> `` client events, ``< `` server events. Credentials are redacted by
the journal (headers) and audio payloads are shortened, so the inspector stays readable.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from typing import Any

from mockapi.core.engine import Engine, Request
from mockapi.core.results import Reply
from mockapi.traffic.journal import mask

_AUDIO_KEYS = ("delta", "audio")
KEY_PROTOCOL = "openai-insecure-api-key."


class SessionJournal:
    """Feeds one connection's events to the engine's observers (the journal and the inspector)."""

    def __init__(self, engine: Engine, path: str, query: str, headers: dict[str, str], request_id: str) -> None:
        self._pending: collections.deque[bytes] = collections.deque()
        self._open = True
        reply = Reply(101, [("x-request-id", request_id), ("upgrade", "websocket")], stream=self._frames())
        shown = {k: _masked_protocols(v) if k == "sec-websocket-protocol" else v for k, v in headers.items()}
        for observe in engine.observers:
            observe(Request("GET", path, shown, b"", query), None, reply)
        self._stream = reply.stream  # wrapped by the observers: each next() records one frame

    def _frames(self) -> Iterator[bytes]:
        while self._open or self._pending:
            yield self._pending.popleft() if self._pending else b""

    def client(self, raw: str | bytes) -> None:
        """Record a client event."""
        self._record("> ", raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))

    def server(self, event: dict[str, Any]) -> None:
        """Record a server event."""
        self._record("< ", json.dumps(_short(event), separators=(",", ":")))

    def _record(self, arrow: str, text: str) -> None:
        if not self._open or self._stream is None:
            return
        if arrow == "> ":
            try:
                text = json.dumps(_short(json.loads(text)), separators=(",", ":"))
            except ValueError:
                pass
        self._pending.append((arrow + text).encode())
        next(self._stream, None)

    def close(self) -> None:
        """The connection ended: the entry is done."""
        if self._open:
            self._open = False
            if self._stream is not None:
                for _ in self._stream:
                    pass


def _masked_protocols(value: str) -> str:
    """The subprotocols with a browser's key (``openai-insecure-api-key.<key>``) masked, ``ek_`` secrets too."""
    return ", ".join(KEY_PROTOCOL + mask(p.strip()[len(KEY_PROTOCOL):]) if p.strip().startswith(KEY_PROTOCOL) else p.strip()
                     for p in value.split(","))


def _short(event: Any) -> Any:
    if isinstance(event, dict) and any(isinstance(event.get(k), str) and len(event[k]) > 64 for k in _AUDIO_KEYS):
        return {k: (f"<{len(v)} base64 characters>" if k in _AUDIO_KEYS and isinstance(v, str) and len(v) > 64 else v)
                for k, v in event.items()}
    return event
