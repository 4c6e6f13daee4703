"""The contract harness on Realtime sessions: per-response server behaviours and the named client checks.

Each check is shown to hold for a careful client and to fail for a client with the matching bug, all
through the Python SDK's ``client.realtime.connect`` (the harness points its WebSocket at a live server).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from websockets.exceptions import ConnectionClosed

from mockapi.harness import CheckFailure, replay, verify_client
from mockapi.harness.clients import PHASES
from mockapi.harness.realtime_checks import REALTIME
from mockapi.harness.scenarios import (
    CallsFunction,
    CancelledMidStream,
    DroppedSession,
    RealtimeAnswer,
    RealtimeErrorEvent,
    Scenario,
    SlowCancel,
    realtime,
)

WEATHER = {"type": "function", "name": "get_weather", "description": "Get the current weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
NAMES = [c.__name__ for c in REALTIME]


def _open(client: Any) -> Any:
    conn = client.realtime.connect(model="gpt-realtime").__enter__()
    conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "tools": [WEATHER]})
    return conn


def _say(conn: Any, text: str) -> None:
    conn.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]})


def _until_done(conn: Any, on_error: str = "ignore") -> tuple[str, Any]:
    """The text of the next response and its ``response.done`` (``on_error="raise"``: any error event raises)."""
    text = ""
    for event in conn:
        if event.type == "error" and on_error == "raise":
            raise RuntimeError(f"realtime error: {event.error.code}: {event.error.message}")
        if event.type == "response.output_text.delta":
            text += event.delta
        if event.type == "response.done":
            return text, event.response
    raise ConnectionError("the session ended before response.done")


def _cancel_on_first_delta(conn: Any, and_create: bool = False) -> bool:
    """Cancel the response at its first text delta (True); False when it ended first (nothing to cancel)."""
    for event in conn:
        if event.type == "response.output_text.delta":
            conn.response.cancel()
            if and_create:
                conn.response.create()
            return True
        if event.type == "response.done":
            return False
    raise ConnectionError("the session ended mid-response")


# -- careful and careless clients ----------------------------------------------------------------
def careful(client: Any) -> str:
    """Waits for response.done, answers function calls, takes error events and lost cancels in stride, reconnects."""
    for _ in range(3):  # a dropped session is opened again and the turn asked again
        conn = _open(client)
        try:
            _say(conn, "Tell me about the sea.")
            conn.response.create()
            for _attempt in range(3):
                text, done = _until_done(conn)
                calls = [item for item in done.output if item.type == "function_call"]
                if calls:
                    for call in calls:
                        conn.conversation.item.create(item={"type": "function_call_output", "call_id": call.call_id,
                                                            "output": '{"temp_c": 21}'})
                    conn.response.create()
                elif done.status == "failed":
                    conn.response.create()  # the session is still open: ask again
                else:
                    return text
            return text
        except ConnectionClosed:
            continue
        finally:
            conn.close()
    raise ConnectionError("the session kept dropping")


def careful_canceller(client: Any) -> str:
    """Cancels on the first delta, waits for the cancelled response's response.done, then asks again."""
    conn = _open(client)
    try:
        _say(conn, "Tell me a long story.")
        conn.response.create()
        if _cancel_on_first_delta(conn):
            _until_done(conn)  # the cancelled response (cancelled by us, or by the server first)
        _say(conn, "Just say hello.")
        conn.response.create()
        return _until_done(conn)[0]
    finally:
        conn.close()


def careless_canceller(client: Any) -> str:
    """Cancels and creates the next response at once, before the cancelled one's response.done."""
    conn = _open(client)
    try:
        _say(conn, "Tell me a long story.")
        conn.response.create()
        if not _cancel_on_first_delta(conn, and_create=True):
            return ""
        refused = False
        for event in conn:  # read to the end, so nothing still streams when it closes the socket
            refused = refused or (event.type == "error" and event.error.code == "conversation_already_has_active_response")
            if event.type == "response.done" and (event.response.status != "cancelled" or refused):
                break
        return ""
    finally:
        conn.close()


def brittle_canceller(client: Any) -> str:
    """Cancels on the first delta, but treats every error event as fatal (response_cancel_not_active too)."""
    conn = _open(client)
    try:
        _say(conn, "Tell me a long story.")
        conn.response.create()
        if _cancel_on_first_delta(conn):
            _until_done(conn, on_error="raise")
        _say(conn, "Just say hello.")
        for event in conn:  # a lost cancel's error arrives first
            if event.type == "error":
                raise RuntimeError(f"realtime error: {event.error.code}: {event.error.message}")
            if event.type == "conversation.item.done":
                return ""
        return ""
    finally:
        conn.close()


def forgets_tool_output(client: Any) -> str:
    """Asks for the next response after a function call without sending the call's output."""
    conn = _open(client)
    try:
        _say(conn, "What's the weather in Paris?")
        conn.response.create()
        _, done = _until_done(conn)
        if any(item.type == "function_call" for item in done.output):
            conn.response.create()
            return _until_done(conn)[0]
        return ""
    finally:
        conn.close()


def gives_up_on_error_events(client: Any) -> str:
    """Raises on the first error event, although the session stays open."""
    conn = _open(client)
    try:
        _say(conn, "Hello there.")
        conn.response.create()
        return _until_done(conn, on_error="raise")[0]
    finally:
        conn.close()


def keeps_half_answer(client: Any) -> str:
    """Returns what it has when the connection drops, as if the answer were whole."""
    conn = _open(client)
    text = ""
    try:
        _say(conn, "Hello there.")
        conn.response.create()
        for event in conn:
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.done":
                break
    except ConnectionClosed:
        pass
    finally:
        conn.close()
    return text


# -- the checks fail for the careless clients ------------------------------------------------------
@pytest.mark.parametrize("client_fn,behaviour,check,says", [
    (careless_canceller, SlowCancel(after=6), "handles_response_cancel_race", "before the cancelled response's response.done"),
    (brittle_canceller, CancelledMidStream(after=6), "handles_response_cancel_race", "response_cancel_not_active"),
    (forgets_tool_output, CallsFunction(), "sends_function_call_output_before_next_response_create", "function call call_"),
    (gives_up_on_error_events, RealtimeErrorEvent(after=3), "survives_error_event", "left the session open"),
    (keeps_half_answer, DroppedSession(after=4), "recovers_from_dropped_session", "dropped by the server (close 1011"),
])
def test_each_realtime_check_fails_for_its_careless_client(client_fn, behaviour, check, says) -> None:
    with pytest.raises(CheckFailure) as failed:
        replay(client_fn, Scenario(realtime=(behaviour,)), checks=NAMES)
    assert failed.value.checks == [check], str(failed.value)
    text = str(failed.value)
    assert says in text
    assert f"realtime response 1: {behaviour.describe()}" in text and "realtime session 1" in text  # the script
    assert f"replay(your_client_function, {Scenario(realtime=(behaviour,))!r})" in text


@pytest.mark.parametrize("behaviour", [SlowCancel(after=6), CancelledMidStream(after=6)])
def test_a_careful_canceller_passes_both_sides_of_the_race(behaviour) -> None:
    run = replay(careful_canceller, Scenario(realtime=(behaviour,)), checks=NAMES)
    assert run.outcome.error is None and run.outcome.value
    first = run.sessions[0]
    done = [e["response"]["status_details"] for side, e in first.events if e.get("type") == "response.done"]
    reason = "client_cancelled" if isinstance(behaviour, SlowCancel) else "turn_detected"
    assert done[0] == {"type": "cancelled", "reason": reason} and len(done) == 2
    codes = [first.error_code(i) for i in range(len(first.events))]
    assert ("response_cancel_not_active" in codes) == isinstance(behaviour, CancelledMidStream)


@pytest.mark.parametrize("behaviour", [RealtimeAnswer(), CallsFunction(), RealtimeErrorEvent(after=3), DroppedSession(after=4)])
def test_the_careful_client_passes_every_check(behaviour) -> None:
    run = replay(careful, Scenario(realtime=(behaviour,)))  # every check, the HTTP ones included
    assert run.outcome.error is None and run.outcome.value
    assert len(run.sessions) == (2 if isinstance(behaviour, DroppedSession) else 1)
    outputs = [e for side, e in run.sessions[0].events if side == "client" and (e.get("item") or {}).get("type") == "function_call_output"]
    assert bool(outputs) == isinstance(behaviour, CallsFunction)


def test_the_behaviours_happen_as_scripted() -> None:
    # Two responses on one session: a function call, then an error event; the third answers normally.
    run = replay(careful, Scenario(realtime=(CallsFunction(arguments='{"city": "Oslo"}'), RealtimeErrorEvent(after=2))),
                 checks=NAMES)
    events = run.sessions[0].events
    statuses = [e["response"]["status"] for side, e in events if e.get("type") == "response.done"]
    assert statuses == ["completed", "failed", "completed"]
    call = next(e for side, e in events if e.get("type") == "response.function_call_arguments.done")
    assert call["name"] == "get_weather" and call["arguments"] == '{"city": "Oslo"}'
    assert any(side == "server" and e.get("type") == "error" and e["error"]["code"] == "server_error" for side, e in events)


def test_a_careful_client_holds_under_drawn_realtime_scenarios() -> None:
    verify_client(careful, scenarios=realtime(), checks=NAMES,
                  hypothesis=hypothesis_settings(max_examples=6, deadline=None, database=None, derandomize=True, phases=PHASES))


def test_the_careless_canceller_is_caught_by_drawn_scenarios_and_shrunk() -> None:
    from mockapi.harness.scenarios import cancels

    with pytest.raises(CheckFailure) as failed:
        verify_client(careless_canceller, scenarios=realtime(cancels(max_after=6), max_length=1),
                      checks=["handles_response_cancel_race"],
                      hypothesis=hypothesis_settings(max_examples=10, deadline=None, database=None, derandomize=True,
                                                     phases=PHASES))
    assert failed.value.checks == ["handles_response_cancel_race"]
    assert "SlowCancel(" in str(failed.value)


async def async_forgets_tool_output(async_client: Any) -> str:
    """The async SDK client with the same bug as ``forgets_tool_output``."""
    async with async_client.realtime.connect(model="gpt-realtime") as conn:
        await conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "tools": [WEATHER]})
        await conn.conversation.item.create(item={"type": "message", "role": "user",
                                                  "content": [{"type": "input_text", "text": "Weather in Oslo?"}]})
        await conn.response.create()
        answered = 0
        async for event in conn:
            if event.type == "response.done":
                answered += 1
                if answered == 2:
                    return "done"
                await conn.response.create()  # the function call's output never sent
    return ""


def test_the_async_client_reaches_the_session_too() -> None:
    with pytest.raises(CheckFailure) as failed:
        replay(async_forgets_tool_output, Scenario(realtime=(CallsFunction(arguments='{"city": "Oslo"}'),)), checks=NAMES)
    assert failed.value.checks == ["sends_function_call_output_before_next_response_create"]
    assert failed.value.run is not None and failed.value.run.outcome.value == "done"


def test_a_planned_fault_is_for_its_response_only() -> None:
    # A short first response (2 tokens) ends before its planned error event; the longer second one gets none.
    def two_turns(client: Any) -> str:
        conn = _open(client)
        try:
            _say(conn, "Tell me about the sea.")
            conn.response.create(response={"max_output_tokens": 2})
            _until_done(conn)
            conn.response.create()
            return _until_done(conn)[0]
        finally:
            conn.close()

    run = replay(two_turns, Scenario(realtime=(RealtimeErrorEvent(after=20), RealtimeAnswer())), checks=NAMES)
    events = run.sessions[0].events
    assert [e["response"]["status"] for _, e in events if e.get("type") == "response.done"] == ["incomplete", "completed"]
    assert sum(e.get("type") == "response.output_text.delta" for _, e in events) > 20  # long enough to have been hit
    assert not any(e.get("type") == "error" for _, e in events)
