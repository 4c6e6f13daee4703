"""Realtime server behaviours: what the mock does to each response a client creates on a WebSocket session.

A :class:`~mockapi.harness.scenarios.Scenario`'s ``realtime`` tuple holds one behaviour per
``response.create`` of the run, in order (across sessions; then every response is answered
normally). Each is plain data with an evaluable ``repr``, so a shrunk counterexample replays.
The door (:mod:`mockapi.doors.realtime`) acts them out through :class:`~mockapi.doors.realtime.ResponsePlan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument


@dataclass(frozen=True)
class RealtimeAnswer:
    """Answer the response normally (the mock's own text, or the function its tool selection picks)."""

    def describe(self) -> str:
        """One line for the replay script."""
        return "answer normally"


@dataclass(frozen=True)
class CancelledMidStream:
    """After ``after`` events the server cancels the response itself (``turn_detected``, as when the user talks over it).

    It first waits up to ``wait_ms`` for the client's next event and applies it after the cancel: a
    ``response.cancel`` the client sent meanwhile loses the race and gets ``response_cancel_not_active``.
    """

    after: int = 6
    wait_ms: int = 300

    def describe(self) -> str:
        """One line for the replay script."""
        return (f"cancelled by the server after {self.after} event(s) (turn_detected); a response.cancel sent "
                f"meanwhile (within {self.wait_ms} ms) arrives too late: response_cancel_not_active")


@dataclass(frozen=True)
class SlowCancel:
    """After ``after`` events the server waits up to ``wait_ms`` for the client's next event; a ``response.cancel``
    then takes ``wait_ms`` to end the response.

    Until its ``response.done`` the response is still active, as on the real server: a ``response.create``
    sent meanwhile is refused (``conversation_already_has_active_response``).
    """

    after: int = 6
    wait_ms: int = 300

    def describe(self) -> str:
        """One line for the replay script."""
        return (f"after {self.after} event(s), a response.cancel takes {self.wait_ms} ms to end the response; "
                "a response.create before its response.done is refused")


@dataclass(frozen=True)
class CallsFunction:
    """The response calls a function (``name``, default the session's first function tool) with ``arguments``.

    The conversation then needs a ``function_call_output`` item before the next ``response.create``.
    """

    name: str | None = None
    arguments: str = '{"city": "Paris"}'

    def describe(self) -> str:
        """One line for the replay script."""
        return f"call the function {self.name or '(the first function tool)'} with {self.arguments}"


@dataclass(frozen=True)
class RealtimeErrorEvent:
    """After ``after`` events an ``error`` event (``code``); the response ends ``failed`` and the session stays open."""

    after: int = 3
    code: str = "server_error"

    def describe(self) -> str:
        """One line for the replay script."""
        return f"an error event ({self.code}) after {self.after} event(s); the response fails, the session stays open"


@dataclass(frozen=True)
class DroppedSession:
    """After ``after`` events the server drops the connection (close code 1011)."""

    after: int = 3

    def describe(self) -> str:
        """One line for the replay script."""
        return f"drop the connection after {self.after} event(s) (close 1011)"


RealtimeBehaviour = Union[RealtimeAnswer, CancelledMidStream, SlowCancel, CallsFunction, RealtimeErrorEvent, DroppedSession]


def _after(max_after: int) -> st.SearchStrategy[int]:
    if max_after < 1:
        raise InvalidArgument(f"max_after must be at least 1, not {max_after}")
    return st.integers(1, max_after)


def cancels(max_after: int = 8) -> st.SearchStrategy[RealtimeBehaviour]:
    """Cancel races: the server cancels first (the client's cancel comes too late), or the client's cancel is slow."""
    after = _after(max_after)
    return st.one_of(st.builds(CancelledMidStream, after=after, wait_ms=st.just(300)),
                     st.builds(SlowCancel, after=after, wait_ms=st.just(300)))


def function_calls() -> st.SearchStrategy[RealtimeBehaviour]:
    """Responses that call the session's first function tool."""
    return st.just(CallsFunction())


def error_events(max_after: int = 6) -> st.SearchStrategy[RealtimeBehaviour]:
    """Error events that fail one response and leave the session open."""
    return st.builds(RealtimeErrorEvent, after=_after(max_after), code=st.sampled_from(("server_error", "rate_limit_exceeded")))


def drops(max_after: int = 6) -> st.SearchStrategy[RealtimeBehaviour]:
    """Connections dropped mid-response."""
    return st.builds(DroppedSession, after=_after(max_after))


def realtime_behaviours(*parts: st.SearchStrategy[RealtimeBehaviour], max_length: int = 3,
                        ) -> st.SearchStrategy[tuple[RealtimeBehaviour, ...]]:
    """Sequences of per-response behaviours (default: every kind, and plain answers), at least one long."""
    if max_length < 1:
        raise InvalidArgument(f"max_length must be at least 1, not {max_length}")
    one = st.one_of(*parts) if parts else st.one_of(st.just(RealtimeAnswer()), cancels(), function_calls(), error_events(), drops())
    return st.lists(one, min_size=1, max_size=max_length).map(tuple)
