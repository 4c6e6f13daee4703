"""What the session's event handlers share: the refusal of a client event, and what an event produced."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mockapi.core.results import Pause

Events = Iterator["dict[str, Any] | Pause"]


class ClientEventError(Exception):
    """A client event the server refuses: an ``error`` event, and the session goes on."""

    def __init__(self, message: str, *, code: str | None = "invalid_value", param: str | None = None,
                 kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.body = {"type": kind, "code": code, "message": message, "param": param}


@dataclass
class Outcome:
    """What one client event produced: events to send now, then maybe a response to stream."""

    events: list[dict[str, Any]] = field(default_factory=list)
    stream: Events | None = None
    interrupt: bool = False  # speech started while a response streams: cancel it first (barge-in)
