"""Response plans: how a planner (the contract harness) makes one Realtime response misbehave on purpose.

A planner is an engine hook with a ``realtime_response(tenant, tools)`` method (the harness's
:class:`~mockapi.harness.driver.Director`). The door asks it once per ``response.create`` the
session accepts, before the session picks the answer (so the planner can queue a canned reply),
and acts out the :class:`ResponsePlan` it returns while the response streams:

- ``fault``: ``error after=N`` or ``cut after=N``, as the ``x-mockapi-fault`` header would;
- ``hold_after``: after that many events the server waits (at most ``wait`` seconds) for the client's
  next event, then either cancels the response itself (``server_cancel``: ``turn_detected``, as when
  the user talks over it; a ``response.cancel`` the client sent meanwhile loses the race and gets
  ``response_cancel_not_active``), or, when that event is a ``response.cancel``, lets the cancel take
  ``wait`` seconds: events the client sends meanwhile see the response still active (a
  ``response.create`` is refused with ``conversation_already_has_active_response``), then
  ``response.done`` (cancelled). The real server ends a cancelled response with a later
  ``response.done``; a ``response.create`` sent right after ``response.cancel`` can hit the
  single-active-response rule (github.com/openai/openai-agents-js pull 1127, 2026-03-24).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockapi.traffic.faults import Fault

if TYPE_CHECKING:
    from .realtime import Connection

NOTHING = object()  # no client event arrived while the server waited


@dataclass(frozen=True)
class ResponsePlan:
    """What a planner asks of one response the client creates with ``response.create``."""

    fault: Fault | None = None
    hold_after: int | None = None
    server_cancel: bool = False
    wait: float = 0.3


def plan_for(conn: "Connection", raw: str | bytes) -> ResponsePlan | None:
    """The planner's plan for a ``response.create`` the session will accept (None: no planner, or not one)."""
    planners = [p for p in (getattr(h, "realtime_response", None) for h in conn.engine.hooks) if p is not None]
    if not planners or not isinstance(raw, str) or "response.create" not in raw:
        return None
    try:
        event = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(event, dict) or event.get("type") != "response.create":
        return None
    out_of_band = isinstance(event.get("response"), dict) and event["response"].get("conversation") == "none"
    if conn.session.running is not None and not out_of_band:
        return None  # refused (a response is active): no plan is spent on it
    tools = [t.get("name") for t in conn.session.config.get("tools") or [] if isinstance(t, dict) and t.get("type") == "function"]
    return planners[0](conn.tenant, tools)  # type: ignore[no-any-return]


async def next_event(conn: "Connection", wait: float) -> Any:
    """The client's next frame, ``None`` when it left, or :data:`NOTHING` after ``wait`` seconds."""
    with contextlib.suppress(TimeoutError):
        return await asyncio.wait_for(conn.inbox.get(), max(0.0, wait))
    return NOTHING


async def hold(conn: "Connection", plan: ResponsePlan) -> bool:
    """Act out the plan's hold; True when the response is over (the stream must stop)."""
    run = conn.session.running
    held = await next_event(conn, plan.wait)
    if held is None:  # the client left while the server waited
        await conn.inbox.put(None)
        return True
    if plan.server_cancel:
        for event in conn.session.cancel("turn_detected"):
            await conn.send_event(event)
        if held is not NOTHING:
            await conn.apply(held)
        return True
    if held is NOTHING:
        return False
    if not _is_cancel(held):
        await conn.apply(held)
        return conn.session.running is not run
    conn.journal.client(held)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + plan.wait
    while (left := deadline - loop.time()) > 0:  # the cancel is under way; the response is still active
        other = await next_event(conn, left)
        if other is NOTHING:
            break
        if other is None:
            await conn.inbox.put(None)
            break
        await conn.apply(other)
    for event in conn.session.handle(held).events:
        await conn.send_event(event)
    return True


def _is_cancel(raw: Any) -> bool:
    if not isinstance(raw, str) or "response.cancel" not in raw:
        return False
    try:
        event = json.loads(raw)
    except ValueError:
        return False
    return isinstance(event, dict) and event.get("type") == "response.cancel"
