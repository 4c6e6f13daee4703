"""Make an engine act out a scenario, and record every exchange for the checks.

The :class:`Director` is an engine hook (first in line) and an engine observer. For the n-th API
request it takes the scenario's n-th behaviour: faults go through the traffic layer's own fault
header (``x-mockapi-fault``: statuses, stalls, resets, cuts, error events), answers through the
queued canned replies; then it sets the retry headers exactly as drawn and dresses the answer
(:mod:`mockapi.harness.frames`). The observer sees every request, the ones the contract rejects
before any hook included, with the engine clock's time (advanced by the client's virtual sleeps).
On a Realtime WebSocket session the door asks :meth:`Director.realtime_response` how to act out each
response the client creates; the session itself is judged from the journal, not as an exchange.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from mockapi.core.results import Reply
from mockapi.traffic.faults import HEADER as FAULT_HEADER

from .frames import Served, dress_body, dress_stream
from .scenarios import (
    Behaviour,
    CallsFunction,
    CancelledMidStream,
    CutStream,
    DroppedSession,
    ErrorStatus,
    RealtimeBehaviour,
    RealtimeErrorEvent,
    Reset,
    Scenario,
    SlowCancel,
    SpentWindow,
    Stall,
    StreamError,
)

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request


@dataclass
class Exchange:
    """One request the client sent and what the mock did with it."""

    index: int
    time: float
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    operation: str | None
    status: int
    response_headers: dict[str, str]
    behaviour: Behaviour | None  # None: rejected before the scenario could act (e.g. a contract violation)
    connection: str | None = None  # "reset" or "stall" when no response reached the client
    served: Served = field(default_factory=Served)

    @property
    def failed(self) -> bool:
        """Whether the client did not get a whole, successful answer."""
        return bool(self.status >= 400 or self.connection or self.served.cut or self.served.error_event)

    def label(self) -> str:
        """A short description of what the client got."""
        if self.connection:
            return f"connection {self.connection}"
        if self.served.cut:
            return "a stream cut mid-way"
        if self.served.error_event:
            return "a mid-stream error event"
        return f"HTTP {self.status}"


def fault_spec(behaviour: Behaviour) -> str | None:
    """The traffic layer's fault text for a behaviour (None: answer normally)."""
    if isinstance(behaviour, ErrorStatus):
        spec = str(behaviour.status)
        if behaviour.code == "insufficient_quota":
            spec = "insufficient_quota"
        elif behaviour.code:
            spec += f" code={behaviour.code}"
        if behaviour.should_retry is not None:
            spec += f" should-retry={str(behaviour.should_retry).lower()}"
        return spec
    if isinstance(behaviour, Stall):
        return "stall"
    if isinstance(behaviour, Reset):
        return "reset"
    if isinstance(behaviour, CutStream):
        return f"cut after={behaviour.after}"
    if isinstance(behaviour, StreamError):
        return f"error after={behaviour.after} code={behaviour.code}"
    return None


class Director:
    """Acts out one scenario on one engine; ``exchanges`` is what happened."""

    def __init__(self, engine: "Engine", scenario: Scenario) -> None:
        self.engine = engine
        self.scenario = scenario
        self.exchanges: list[Exchange] = []
        self.realtime_responses: list[RealtimeBehaviour] = []  # what each Realtime response was told to do
        self._attempts = 0
        self._lock = threading.Lock()

    def install(self) -> "Director":
        """Become the engine's first hook and an observer."""
        self.engine.hooks.insert(0, self)
        self.engine.observers.append(self.observe)
        return self

    def uninstall(self) -> None:
        """Leave the engine as it was."""
        if self in self.engine.hooks:
            self.engine.hooks.remove(self)
        if self.observe in self.engine.observers:
            self.engine.observers.remove(self.observe)
        self.engine.overrides.clear_queue()

    # -- the hook ---------------------------------------------------------------------------
    def before(self, call: "Call") -> Reply | None:
        """Pick this request's behaviour; hand faults to the traffic layer, answers to the queue."""
        with self._lock:
            attempt, self._attempts = self._attempts, self._attempts + 1
        behaviour = self.scenario.behaviour(attempt)
        call.meta["harness_behaviour"] = behaviour
        if isinstance(behaviour, SpentWindow):
            self._spend_window(call, behaviour.rpm)
        spec = fault_spec(behaviour)
        if spec:
            headers = {k: v for k, v in call.request.headers.items() if k != FAULT_HEADER}
            call.request = dataclasses.replace(call.request, headers={**headers, FAULT_HEADER: spec})
        self.engine.overrides.clear_queue()
        if not isinstance(behaviour, (ErrorStatus, Stall, Reset, SpentWindow)):
            self.engine.overrides.queue({"path": call.op.path}, self.scenario.content.canned(), times=1)
        return None

    def _spend_window(self, call: "Call", rpm: int) -> None:
        """Give the caller's tenant ``rpm`` requests per minute and use them all (the traffic layer's limiter)."""
        limiter = getattr(self.engine, "traffic").limiter
        limiter.set_override(tenant=call.tenant, rpm=rpm)
        model = call.body.get("model") if isinstance(call.body, dict) and isinstance(call.body.get("model"), str) else ""
        used = limiter.usage(call.tenant, model).req_minute
        for _ in range(max(0, rpm - used)):
            limiter.charge(call.tenant, call.key.tier or self.engine.settings.tier, model, 0)

    def after(self, call: "Call", reply: Reply) -> Reply:
        """Set the drawn retry headers; dress successful answers."""
        self.engine.overrides.clear_queue()
        behaviour = call.meta.get("harness_behaviour")
        served = call.meta["harness_served"] = Served()
        if isinstance(behaviour, ErrorStatus):
            drop = {"retry-after", "retry-after-ms"}
            reply.headers = [(k, v) for k, v in reply.headers if k.lower() not in drop]
            if behaviour.retry_after_ms is not None:
                reply.headers.append(("retry-after-ms", str(behaviour.retry_after_ms)))
            if behaviour.retry_after is not None:
                reply.headers.append(("retry-after", str(behaviour.retry_after)))
            return reply
        if reply.status >= 400 or reply.meta.get("connection"):
            return reply
        shape, kind = self.scenario.shape, reply.header("content-type") or ""
        if reply.stream is not None and "event-stream" in kind:
            # Materialised now, so ``served`` is filled before the observer records the exchange.
            reply.stream = iter(list(dress_stream(reply.stream, shape, served)))
        elif isinstance(behaviour, CutStream):  # a plain body the traffic layer cut halfway
            served.cut = True
        elif reply.stream is None and "json" in kind:
            reply.body = dress_body(reply.body, shape, served)
        else:  # binary answers (audio, file content) pass through whole
            served.complete = True
        return reply

    # -- Realtime sessions (asked by mockapi.doors.realtime) ----------------------------------
    def realtime_response(self, tenant: str, tools: list[str]) -> Any:
        """The :class:`~mockapi.doors.realtime.ResponsePlan` for the next response a client creates on a session."""
        from mockapi.doors.realtime_plan import ResponsePlan
        from mockapi.traffic.faults import Fault

        with self._lock:
            behaviour = self.scenario.realtime_behaviour(len(self.realtime_responses))
            self.realtime_responses.append(behaviour)
        if isinstance(behaviour, CallsFunction):
            name = behaviour.name or (tools[0] if tools else None)
            if name:  # the real server calls only a tool the session declares
                self.engine.overrides.queue({"path": "/realtime"}, {"tool_calls": [{"name": name, "arguments": behaviour.arguments}]})
            return None
        if isinstance(behaviour, (CancelledMidStream, SlowCancel)):
            return ResponsePlan(hold_after=behaviour.after, server_cancel=isinstance(behaviour, CancelledMidStream),
                                wait=behaviour.wait_ms / 1000)
        if isinstance(behaviour, RealtimeErrorEvent):
            return ResponsePlan(fault=Fault(kind="error", after=behaviour.after, code=behaviour.code))
        if isinstance(behaviour, DroppedSession):
            return ResponsePlan(fault=Fault(kind="cut", after=behaviour.after))
        return None

    # -- the observer -----------------------------------------------------------------------
    def observe(self, request: "Request", call: "Call | None", reply: Reply) -> None:
        """Record one exchange (every API request, valid or not)."""
        if not request.path.startswith("/v1/") and not request.path.startswith("/openai/"):
            return
        if reply.status == 101:  # a Realtime WebSocket session: the realtime checks read it from the journal
            return
        meta = call.meta if call is not None else {}
        headers = {k: v for k, v in request.headers.items() if k != FAULT_HEADER}
        with self._lock:
            self.exchanges.append(Exchange(
                index=len(self.exchanges), time=self.engine.clock.now(), method=request.method, path=request.path,
                headers=headers, body=request.body, operation=call.op.operation_id if call else None,
                status=reply.status, response_headers={k.lower(): v for k, v in reply.headers},
                behaviour=meta.get("harness_behaviour"), connection=reply.meta.get("connection"),
                served=meta.get("harness_served") or Served(),
            ))

