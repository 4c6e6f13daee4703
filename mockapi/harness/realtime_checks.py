"""Realtime client checks: the same ``check(run) -> None`` shape, judged on the run's WebSocket sessions.

Each reads ``run.sessions`` (:mod:`.realtime_log`: every event both ways, in the order the server
processed them) and the client's outcome, and raises :class:`CheckFailure` naming the session and
the events that broke the rule. A run without a Realtime session passes them all.
"""

from __future__ import annotations

from typing import Any

from .failure import CheckFailure
from .realtime_log import SessionLog
from .runner import Run

ACTIVE = "conversation_already_has_active_response"
CANCEL_NOT_ACTIVE = "response_cancel_not_active"


def _type(event: Any) -> str:
    return str(event.get("type")) if isinstance(event, dict) else ""


def _gave_up_after(run: Run, session: SessionLog, position: int) -> bool:
    """The client raised because of the error event at ``position``: its exception (or a cause) quotes the
    error's code or message, or the client sent nothing more on this session and opened no other one."""
    error = run.outcome.error
    if error is None or run.outcome.hung:
        return False
    told = (session.events[position][1].get("error") or {})
    chain, seen = [], error
    while seen is not None and len(chain) < 10:
        chain.append(f"{type(seen).__name__}: {seen}")
        seen = seen.__cause__ or seen.__context__
    quoted = [str(told.get(k)) for k in ("code", "message") if told.get(k)]
    if any(q in text for q in quoted for text in chain):
        return True
    later = any(side == "client" for side, _ in session.events[position + 1:])
    return not later and session.index == len(run.sessions) - 1


def _raised(run: Run) -> str:
    error = run.outcome.error
    return f"{type(error).__name__}: {error}"[:300]


def handles_response_cancel_race(run: Run) -> None:
    """A cancel races ``response.done``: wait for the cancelled response's ``response.done`` before the next
    ``response.create``, and take ``response_cancel_not_active`` (the response ended first) in stride."""
    for s in run.sessions:
        cancelling = False  # the client sent response.cancel; the response's response.done has not come yet
        for i, (side, event) in enumerate(s.events):
            kind = _type(event)
            if side == "client" and kind == "response.cancel":
                cancelling = True
            elif side == "server" and kind == "response.done":
                cancelling = False
            elif side == "client" and kind == "response.create" and cancelling:
                if i + 1 < len(s.events) and s.error_code(i + 1) == ACTIVE:  # the refusal answers it at once
                    raise CheckFailure("handles_response_cancel_race", f"session {s.index + 1}, event {i + 1}: the client sent "
                                       "response.create after response.cancel but before the cancelled response's "
                                       f"response.done; the server refused it ({ACTIVE})")
            elif side == "server" and s.error_code(i) == CANCEL_NOT_ACTIVE and _gave_up_after(run, s, i):
                raise CheckFailure("handles_response_cancel_race", f"session {s.index + 1}, event {i + 1}: the response "
                                   f"ended before the client's response.cancel arrived ({CANCEL_NOT_ACTIVE}) and the "
                                   f"client gave up, raising {_raised(run)}; a cancel that loses the race is no failure")


def _calls_of(event: Any) -> list[str]:
    """The call ids a server event announces (``response.function_call_arguments.done``, or a function_call item done)."""
    kind = _type(event)
    if kind == "response.function_call_arguments.done":
        return [str(event.get("call_id"))]
    if kind == "response.output_item.done" and (event.get("item") or {}).get("type") == "function_call":
        return [str(event["item"].get("call_id"))]
    return []


def sends_function_call_output_before_next_response_create(run: Run) -> None:
    """After the model calls a function, the conversation gets its ``function_call_output`` before the next
    ``response.create`` (an out-of-band response, ``conversation: "none"``, does not count)."""
    for s in run.sessions:
        owed: dict[str, int] = {}  # call id -> the event that announced it
        for i, (side, event) in enumerate(s.events):
            kind = _type(event)
            if side == "server":
                for call_id in _calls_of(event):
                    owed.setdefault(call_id, i)
            elif kind == "conversation.item.create" and (event.get("item") or {}).get("type") == "function_call_output":
                owed.pop(str(event["item"].get("call_id")), None)
            elif kind == "response.create" and owed and ((event.get("response") or {}).get("conversation") != "none"):
                call_id, at = next(iter(owed.items()))
                raise CheckFailure("sends_function_call_output_before_next_response_create",
                                   f"session {s.index + 1}, event {i + 1}: response.create came before the output of "
                                   f"function call {call_id} (announced at event {at + 1}); send a conversation.item.create "
                                   "of type function_call_output for every call first")


def survives_error_event(run: Run) -> None:
    """A server ``error`` event that leaves the session open (the response fails, the session goes on) does not
    end the client's work: it goes on, or returns; it does not raise out of the session."""
    for s in run.sessions:
        for i, (side, event) in enumerate(s.events):
            if side != "server" or _type(event) != "error":
                continue
            error = event.get("error") or {}
            if error.get("type") == "invalid_request_error":
                continue  # a refusal of the client's own event: the cancel race and the contract are other checks
            if s.server_close is None and _gave_up_after(run, s, i):
                raise CheckFailure("survives_error_event", f"session {s.index + 1}, event {i + 1}: after an error event "
                                   f"({error.get('code')}) that left the session open, the client raised {_raised(run)}")


def recovers_from_dropped_session(run: Run) -> None:
    """When the server drops a session mid-response, the client opens a new one or raises: it does not return
    as if the answer had been whole."""
    for s in run.sessions:
        drop = s.server_close
        if drop is None or drop.get("code") != 1011 or run.outcome.hung:
            continue
        if s.index == len(run.sessions) - 1 and run.outcome.error is None:
            raise CheckFailure("recovers_from_dropped_session", f"session {s.index + 1} was dropped by the server "
                               f"(close {drop['code']}: {drop['reason']}) and the client returned {run.outcome.value!r}"[:400]
                               + " without opening a new session or raising")


REALTIME = (handles_response_cancel_race, sends_function_call_output_before_next_response_create, survives_error_event,
            recovers_from_dropped_session)
