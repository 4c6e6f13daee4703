"""The Realtime WebSocket door: ``/v1/realtime?model=…`` over the transport-free session logic.

Pure ASGI ``websocket`` scope handling. It authenticates (bearer key in ``Authorization``, the browser
subprotocol ``openai-insecure-api-key.<key>``, or an ephemeral ``ek_`` client secret), checks the model,
then moves JSON text frames between the client and :class:`mockapi.api.realtime.session.RealtimeSession`.
A bad key or unknown model is accepted, told with an ``error`` event, then closed: the real server
answers a random key with a successful upgrade and an error message (github.com/openai/openai-realtime-api-beta
issue 2, comment of 2024-10-02). The close code (1008, policy violation) is the mock's choice: no source states it.
Faults (``x-mockapi-fault`` on the upgrade request, or rules for path ``/v1/realtime``) and latency
(``x-mockapi-latency`` or the configured profile) apply to the responses streamed on the session.
A planner (an engine hook with a ``realtime_response`` method: the contract harness's director) may
give each response the client creates a plan (:mod:`.realtime_plan`): a fault, a cancel that races the client's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

from mockapi.api.realtime.secrets import find_client_secret
from mockapi.api.realtime.session import RealtimeSession
from mockapi.core.determinism import digest
from mockapi.core.engine import Engine, Request
from mockapi.core.errors import AuthenticationError, MockAPIError
from mockapi.core.jsonutil import dumps
from mockapi.core.results import Pause
from mockapi.traffic import faults as fault_rules
from mockapi.traffic import latency as latency_profiles

from .realtime_journal import SessionJournal
from .realtime_plan import ResponsePlan, hold, plan_for

PATH = "/v1/realtime"
SUBPROTOCOL_KEY = "openai-insecure-api-key."
POLICY_VIOLATION, INTERNAL_ERROR = 1008, 1011
_FOREVER = 10 * 365 * 86400.0

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class RealtimeDoor:
    """The ASGI app for the ``websocket`` scope at :data:`PATH`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        """Run one WebSocket connection to its end."""
        if (await receive())["type"] != "websocket.connect":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        protocols = list(scope.get("subprotocols") or [])
        accept: dict[str, Any] = {"type": "websocket.accept"}
        if "realtime" in protocols:
            accept["subprotocol"] = "realtime"
        await send(accept)
        number = self.engine.store.incr("_mockapi:realtime_connections", 1, _FOREVER)
        journal = SessionJournal(self.engine, PATH, scope.get("query_string", b"").decode("latin-1"), headers,
                                 "req_" + digest(self.engine.seed, "realtime-connection", number))
        try:
            await self._serve(headers, query, protocols, send, receive, journal)
        finally:
            journal.close()

    async def _serve(self, headers: dict[str, str], query: dict[str, str], protocols: list[str], send: Send,
                     receive: Receive, journal: SessionJournal) -> None:
        try:
            tenant, given, session_model = self._authenticate(headers, protocols)
            model = query.get("model") or session_model or "gpt-realtime"
            self.engine.catalog.get(model, kinds=("realtime",))
            fault = self._fault(headers, tenant, model)
            spec = headers.get(latency_profiles.HEADER)
            profile = latency_profiles.parse(spec or self.engine.settings.latency or "off")
        except MockAPIError as exc:
            body = exc.body()["error"]
            rejected = {"type": "error", "event_id": "event_" + digest("rejected", body["message"])[:21],
                        "error": {"type": body.get("type"), "code": body.get("code"), "message": body["message"],
                                  "param": body.get("param"), "event_id": None}}
            journal.server(rejected)
            await _send_json(send, rejected)
            reason = str(body.get("code") or "rejected")[:100]
            journal.closed(POLICY_VIOLATION, reason)
            await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": reason})
            return
        n = self.engine.store.incr(f"{tenant}:occurrence:realtime:{model}", 1, _FOREVER)
        session = RealtimeSession(digest(self.engine.seed, "realtime", tenant, model, n), model, int(self.engine.clock.now()),
                                  given, lambda m, said, tools: self.engine.overrides.find("/realtime", m, said, tools),
                                  intent=query.get("intent"))
        await Connection(self.engine, session, tenant, send, receive, fault, profile, journal).run()

    def _authenticate(self, headers: dict[str, str], protocols: list[str]) -> tuple[str, dict[str, Any] | None, str | None]:
        """The tenant, and the session an ephemeral secret carries (with its model), or a 401-shaped error."""
        for protocol in protocols:
            if protocol.startswith(SUBPROTOCOL_KEY) and "authorization" not in headers:
                headers["authorization"] = "Bearer " + protocol[len(SUBPROTOCOL_KEY):]
        token = headers.get("authorization", "").partition(" ")[2].strip()
        if token.startswith("ek_"):
            record = find_client_secret(self.engine.store, token, now=self.engine.clock.now())
            if record is None:
                raise AuthenticationError("Incorrect API key provided: the ephemeral client secret is invalid or has expired.")
            session = dict(record.get("session") or {})
            return record["tenant"], session, session.get("model")
        tenant, _ = self.engine.authenticate(headers)
        return tenant, None, None

    def _fault(self, headers: dict[str, str], tenant: str, model: str) -> fault_rules.Fault | None:
        spec = headers.get(fault_rules.HEADER)
        if spec:
            return fault_rules.parse(spec)
        hook = next((h for h in self.engine.hooks if isinstance(h, fault_rules.Faults)), None)
        if hook is None:
            return None
        call = SimpleNamespace(request=Request("GET", PATH, headers), tenant=tenant, body={"model": model})
        found = hook._from_rules(call)  # type: ignore[arg-type] - it reads path, tenant and model only
        return found[0] if found else None


class Connection:
    """One live session: reads client frames in the background, streams responses with cancel and barge-in."""

    def __init__(self, engine: Engine, session: RealtimeSession, tenant: str, send: Send, receive: Receive,
                 fault: fault_rules.Fault | None, profile: latency_profiles.Profile, journal: SessionJournal) -> None:
        self.engine, self.session, self.tenant, self.journal = engine, session, tenant, journal
        self.send, self.receive = send, receive
        self.fault, self.profile = fault, profile
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue()

    async def run(self) -> None:
        """Send ``session.created``, then answer client events until the client leaves."""
        reader = asyncio.create_task(self._read())
        try:
            if self.fault is not None and self.fault.kind == "stall":  # upgraded, then silence until the client gives up
                while await self.inbox.get() is not None:
                    pass
                return
            if self.fault is not None and self.fault.kind in ("reset", "status"):
                await self._drop()
            for event in self.session.opening():
                await self.send_event(event)
            while True:
                raw = await self.inbox.get()
                if raw is None:
                    return
                await self.apply(raw)
        except _Dropped:
            return
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    async def _read(self) -> None:
        while True:
            message = await self.receive()
            if message["type"] == "websocket.disconnect":
                await self.inbox.put(None)
                return
            await self.inbox.put(message.get("text") if message.get("text") is not None else message.get("bytes") or b"")

    async def apply(self, raw: str | bytes) -> None:
        """Apply one client event: journal it, answer it, stream the response it starts."""
        self.journal.client(raw)
        plan = plan_for(self, raw)
        outcome = self.session.handle(raw)
        events = outcome.events
        if outcome.interrupt:  # the user talks over the answer: speech_started, then the response ends cancelled
            cut = next(i for i, e in enumerate(events) if e["type"] == "input_audio_buffer.speech_started") + 1
            events = events[:cut] + self.session.cancel("turn_detected") + events[cut:]
        for event in events:
            await self.send_event(event)
        if outcome.stream is not None:
            await self._stream(outcome.stream, plan)

    async def _stream(self, events: Any, plan: ResponsePlan | None = None) -> None:
        """Drain a response, applying client events that arrive meanwhile (a cancel stops it)."""
        first, sent_here = True, 0
        run = self.session.running
        connection_fault = self.fault
        if plan is not None and plan.fault is not None:
            self.fault = plan.fault  # for this response only
        try:
            for event in events:
                if isinstance(event, Pause):
                    if not self.profile.off:
                        await asyncio.sleep(event.seconds)
                else:
                    if first and self.profile.overhead + self.profile.ttft:
                        await asyncio.sleep(self.profile.overhead + self.profile.ttft)
                    elif not first and self.profile.tps:
                        await asyncio.sleep(1.0 / self.profile.tps)
                    first = False
                    await self.send_event(event)
                    sent_here += 1
                    if event["type"] == "response.created":
                        await self.send_event(self._rate_limits(event))
                    if self._faulted(sent_here):
                        await self._inject()
                        return
                    if plan is not None and sent_here == plan.hold_after and run is not None \
                            and self.session.running is run and await hold(self, plan):
                        return
                await asyncio.sleep(0)
                if plan is not None and plan.hold_after is not None and sent_here < plan.hold_after:
                    continue  # the events up to a planned hold are in flight: client events wait for the hold
                while not self.inbox.empty():
                    raw = self.inbox.get_nowait()
                    if raw is None:
                        await self.inbox.put(None)
                        return
                    await self.apply(raw)
                    if run is not None and self.session.running is not run:
                        return  # cancelled (or interrupted) while streaming
        except (_Dropped, asyncio.CancelledError):
            raise
        except Exception as exc:  # a bug fails the response with an error event; the session goes on
            logging.getLogger("mockapi").exception("realtime response failed")
            for event in self.session.fail({"type": "server_error", "code": "server_error",
                                            "message": f"The mock failed unexpectedly: {type(exc).__name__}: {exc}"}):
                await self.send_event(event)
        finally:
            if plan is not None and plan.fault is not None:
                self.fault = connection_fault
            if hasattr(events, "close"):
                events.close()

    def _faulted(self, sent: int) -> bool:
        return self.fault is not None and self.fault.kind in ("cut", "error") and sent >= max(1, self.fault.after)

    async def _inject(self) -> None:
        assert self.fault is not None
        if self.fault.kind == "cut":
            self.session.running = None
            await self._drop()
        error = {"type": "server_error", "code": self.fault.code or "server_error",
                 "message": self.fault.message or "The server had an error while processing your request. Sorry about that!"}
        for event in self.session.fail(error):
            await self.send_event(event)
        self.fault = None  # once per connection: the session goes on

    def _rate_limits(self, created: dict[str, Any]) -> dict[str, Any]:
        model = self.session.model
        headers = self.engine.rate_limiter.charge(self.tenant, self.engine.settings.tier, model, 0)
        limits = []
        for name in ("requests", "tokens"):
            if f"x-ratelimit-limit-{name}" in headers:
                limits.append({"name": name, "limit": int(headers[f"x-ratelimit-limit-{name}"]),
                               "remaining": int(headers[f"x-ratelimit-remaining-{name}"]),
                               "reset_seconds": _seconds(headers.get(f"x-ratelimit-reset-{name}", "0s"))})
        return self.session.emit({"type": "rate_limits.updated", "rate_limits": limits})

    async def send_event(self, event: dict[str, Any]) -> None:
        """Journal a server event and send it; a client that left ends the connection."""
        self.journal.server(event)
        try:
            await _send_json(self.send, event)
        except OSError:  # the client left (uvicorn's ClientDisconnected): stop producing for it
            raise _Dropped() from None

    async def _drop(self) -> None:
        """Drop the connection: no close handshake from the session's side, just an abnormal close."""
        self.journal.closed(INTERNAL_ERROR, "connection dropped (injected fault)")
        with contextlib.suppress(Exception):
            await self.send({"type": "websocket.close", "code": INTERNAL_ERROR, "reason": "connection dropped (injected fault)"})
        raise _Dropped()


class _Dropped(Exception):
    pass


async def _send_json(send: Send, event: dict[str, Any]) -> None:
    data = dumps(event)
    await send({"type": "websocket.send", "text": data.decode() if isinstance(data, bytes) else data})


def _seconds(text: str) -> float:
    """``6m0s`` / ``20ms`` / ``1.5s`` as seconds."""
    import re

    total = 0.0
    for number, unit in re.findall(r"([\d.]+)(ms|h|m|s)", text):
        total += float(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return round(total, 3)
