"""A run's Realtime sessions, as the journal recorded them: the events both ways, in the server's order.

The journal's order is the order the server processed things in: a client event appears when the
server read it, a server event when it was sent. So "the client sent X before it could have seen Y"
shows as ``> X`` before ``< Y``. Audio payloads are shortened and keys masked
(:mod:`mockapi.doors.realtime_journal`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapi.core.engine import Engine

PATH = "/v1/realtime"


@dataclass
class SessionLog:
    """One WebSocket session of a run."""

    index: int  # 0-based, in the order the client opened them
    events: list[tuple[str, Any]] = field(default_factory=list)  # ("client" | "server", event)
    server_close: dict[str, Any] | None = None  # {"code", "reason"} when the server closed it (a refusal, a drop)
    complete: bool = True  # False when the journal could not keep every event, or the session was still open

    def error_code(self, position: int) -> str | None:
        """The error code of the server ``error`` event at ``position`` (None for any other event)."""
        side, event = self.events[position]
        if side != "server" or not isinstance(event, dict) or event.get("type") != "error":
            return None
        return str((event.get("error") or {}).get("code") or "") or None

    def describe(self, limit: int = 60) -> list[str]:
        """The events as numbered lines (runs of deltas folded), for a failure's script; checks cite the numbers."""
        folded: list[list[Any]] = []  # [first event's number, line, how many in a row]
        for number, (side, event) in enumerate(self.events, 1):
            kind = event.get("type", "?") if isinstance(event, dict) else "(not JSON)"
            if kind == "error" and isinstance(event, dict):
                kind += f" {(event.get('error') or {}).get('code')}"
            elif kind == "response.done" and isinstance(event, dict):
                kind += f" ({(event.get('response') or {}).get('status')})"
            line = f"{'->' if side == 'client' else '<-'} {kind}"
            if folded and folded[-1][1] == line and kind.endswith(".delta"):
                folded[-1][2] += 1
            else:
                folded.append([number, line, 1])
        lines = [f"{number:>3} {line}" + (f" (x{n}, to {number + n - 1})" if n > 1 else "") for number, line, n in folded]
        if self.server_close:
            lines.append(f"    the server closed the connection: {self.server_close['code']} {self.server_close['reason']}")
        return lines if len(lines) <= limit else lines[: limit // 2] + ["    ..."] + lines[-limit // 2:]


def read_sessions(engine: "Engine", settle: float = 2.0) -> list[SessionLog]:
    """The run's sessions, oldest first, once the server has finished with them (at most ``settle`` real seconds)."""
    from mockapi.doors.realtime_journal import server_close, session_events

    journal = getattr(getattr(engine, "traffic", None), "journal", None)
    if journal is None:
        return []
    deadline = time.monotonic() + settle
    while True:
        entries = [e for e in journal.query(path=PATH, limit=1000) if e.status == 101]
        if all(e.done for e in entries) or time.monotonic() > deadline:
            break
        time.sleep(0.01)  # the server thread is still reading the client's last frames
    return [SessionLog(i, session_events(e), server_close(e), complete=e.done and not e.frames_dropped)
            for i, e in enumerate(reversed(entries))]
