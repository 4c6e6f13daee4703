"""A Realtime session in the request journal: one entry per connection, its frames the events both ways.

The journal (``mockapi/traffic/journal.py``) records what the engine's observers are shown. A WebSocket
session never goes through :meth:`Engine.handle`, so the door shows the observers a ``101`` reply whose
stream is fed one frame per event: ``> `` client events, ``< `` server events. Credentials are redacted (the
journal masks headers and key-shaped text; here, the fields of an event that hold one, such as an MCP tool's
``authorization`` and ``headers``) and audio payloads are shortened, so the inspector stays readable.
:func:`session_events` reads the events back from an entry (the inspector's page does the same in JavaScript).
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from typing import Any

from mockapi.core.engine import Engine, Request
from mockapi.core.results import Reply
from mockapi.traffic.journal import Entry, mask, redact_header

# Event fields that carry a credential: an MCP tool's ``authorization`` (an OAuth token) and ``headers``
# (openai.types.realtime.RealtimeToolsConfigUnionParam, Mcp), and key-named fields a client might add.
_SECRET_FIELDS = frozenset({"authorization", "api_key", "api-key", "client_secret", "access_token", "password"})
KEY_PROTOCOL = "openai-insecure-api-key."
CLIENT, SERVER, CLOSED = "> ", "< ", "# closed "
# What the journal keeps of one session: every event of a long conversation (audio deltas are ~100
# characters once shortened), where an HTTP stream keeps 200 frames.
SESSION_FRAMES, SESSION_CHARACTERS = 20_000, 4 * 1024 * 1024


class SessionJournal:
    """Feeds one connection's events to the engine's observers (the journal and the inspector)."""

    def __init__(self, engine: Engine, path: str, query: str, headers: dict[str, str], request_id: str) -> None:
        self._pending: collections.deque[bytes] = collections.deque()
        self._open = True
        reply = Reply(101, [("x-request-id", request_id), ("upgrade", "websocket")], stream=self._frames(),
                      meta={"journal_frames": (SESSION_FRAMES, SESSION_CHARACTERS)})
        shown = {k: _masked_protocols(v) if k == "sec-websocket-protocol" else v for k, v in headers.items()}
        for observe in engine.observers:
            observe(Request("GET", path, shown, b"", query), None, reply)
        self._stream = reply.stream  # wrapped by the observers: each next() records one frame

    def _frames(self) -> Iterator[bytes]:
        while self._open or self._pending:
            yield self._pending.popleft() if self._pending else b""

    def client(self, raw: str | bytes) -> None:
        """Record a client event."""
        self._record(CLIENT, raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))

    def server(self, event: dict[str, Any]) -> None:
        """Record a server event."""
        self._record(SERVER, json.dumps(_shown(event), separators=(",", ":")))

    def closed(self, code: int, reason: str) -> None:
        """Record that the server closed the connection (a refusal, an injected drop)."""
        self._record(CLOSED, json.dumps({"code": code, "reason": reason}))

    def _record(self, arrow: str, text: str) -> None:
        if not self._open or self._stream is None:
            return
        if arrow == CLIENT:
            try:
                text = json.dumps(_shown(json.loads(text)), separators=(",", ":"))
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


def _shown(value: Any, name: str = "") -> Any:
    """An event as the journal keeps it: audio payloads as their length, credential fields masked."""
    if isinstance(value, dict):
        if name == "headers":  # header name -> value, masked by the header's name like the journal's own headers
            return {k: redact_header(k, v) if isinstance(v, str) else _shown(v, k) for k, v in value.items()}
        audio = value.get("type") == "response.output_audio.delta"  # its delta is base64 audio, not text
        return {k: _payload(v) if audio and k == "delta" else _shown(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v, name) for v in value]
    if isinstance(value, str):
        if name == "audio":  # input_audio_buffer.append, an input_audio content part
            return _payload(value)
        if name.lower() in _SECRET_FIELDS and value:
            return redact_header("authorization", value)
    return value


def _payload(value: Any) -> Any:
    return f"<{len(value)} base64 characters>" if isinstance(value, str) and len(value) > 64 else value


def server_close(entry: Entry) -> dict[str, Any] | None:
    """How the server closed the session (``{"code", "reason"}``), or None when the client did (or it is open)."""
    for frame in reversed(entry.frames):
        if frame.startswith(CLOSED):
            return dict(json.loads(frame[len(CLOSED):]))
    return None


def session_events(entry: Entry) -> list[tuple[str, Any]]:
    """A Realtime session's journal entry as ``("client" | "server", event)`` pairs, in order.

    A client frame that was not JSON comes back as its text. The journal keeps at most
    :data:`SESSION_FRAMES` events of a session (``entry.frames_dropped`` counts the rest).
    """
    out: list[tuple[str, Any]] = []
    for frame in entry.frames:
        side = "client" if frame.startswith(CLIENT) else "server" if frame.startswith(SERVER) else None
        if side is None:
            continue
        try:
            out.append((side, json.loads(frame[2:])))
        except ValueError:
            out.append((side, frame[2:]))
    return out
