"""Run a client once against one scenario and record what happened.

The client is any function whose parameters name what it needs: ``client`` (an ``openai.OpenAI``
served in-process by the engine), ``async_client`` (``openai.AsyncOpenAI``; the function may be
``async``), ``http_client`` (an ``httpx2.Client`` on the engine, base URL set), ``base_url`` (a live
server's ``…/v1``), ``api_key`` and ``log_capture`` (a text stream the client logs into).
It runs in its own thread under virtual time; a run that outlives ``hang_timeout`` real seconds hangs.
In a Realtime scenario the SDK clients open their WebSockets (``client.realtime.connect``) on the
live server, and the run records every session from the journal.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine
from mockapi.core.store import MemoryStore

from .driver import Director, Exchange
from .realtime_log import SessionLog, read_sessions
from .scenarios import Scenario
from .vclock import VirtualTime

INPUTS = ("client", "async_client", "http_client", "base_url", "api_key", "log_capture")
START = 1_750_000_000.0
INPROCESS_URL = "https://api.openai.com/v1"


@dataclass
class Outcome:
    """How the client's function ended."""

    value: Any = None
    error: BaseException | None = None
    hung: bool = False


@dataclass
class Options:
    """What the checks hold the client to."""

    max_attempts: int = 3  # per logical call: the SDK's default 2 retries + 1
    sdk_max_retries: int = 2
    hang_timeout: float = 10.0
    max_delay: float = 60.0  # an advertised wait longer than this may be refused instead of honoured


@dataclass
class Run:
    """One scenario acted out: the exchanges, the client's outcome and (optionally) its logs."""

    scenario: Scenario
    exchanges: list[Exchange]
    outcome: Outcome
    options: Options
    engine: Engine
    logs: str | None = None
    inputs: tuple[str, ...] = field(default_factory=tuple)
    sessions: list[SessionLog] = field(default_factory=list)  # the Realtime WebSocket sessions, in order


def inputs_of(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The inputs a client function asks for; a TypeError names any it cannot have."""
    params = inspect.signature(fn).parameters
    unknown = [p for p in params if p not in INPUTS and params[p].default is inspect.Parameter.empty]
    if unknown:
        raise TypeError(f"{getattr(fn, '__name__', fn)!r} asks for {unknown}; a client function may take {list(INPUTS)}")
    return tuple(p for p in params if p in INPUTS)


class Session:
    """One engine (and, when asked for, one live server) reused across the runs of a property."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._live: Any = None
        self.engine = self._new_engine()

    def _new_engine(self) -> Engine:
        return build_engine(self.settings, store=MemoryStore(), clock=Clock(frozen_at=START))

    def reset(self) -> None:
        """Forget all state, faults, limits, queued replies and the journal; rewind the clock."""
        self.engine.reset()
        self.engine.clock.freeze(START)

    def renew(self) -> None:
        """A fresh engine (after a hang, the stuck thread keeps the old one)."""
        self.close()
        self.engine = self._new_engine()

    def base_url(self) -> str:
        """A live server on this session's engine (started on first use)."""
        if self._live is None:
            from mockapi.doors.live import LiveServer

            self._live = LiveServer(self.engine).start()
        return str(self._live.base_url)

    def close(self) -> None:
        """Stop the live server, if any."""
        if self._live is not None:
            self._live.stop()
            self._live = None


def _build_inputs(session: Session, scenario: Scenario, wanted: tuple[str, ...], options: Options) -> dict[str, Any]:
    import httpx2
    import openai

    from mockapi.doors.transport import transports

    sync_t, async_t = transports("httpx2")
    engine = session.engine
    made: dict[str, Any] = {}
    # No transport reaches the SDK's WebSocket: a Realtime scenario points it at the live server.
    sockets = {"websocket_base_url": "ws" + session.base_url()[len("http"):]} if scenario.realtime else {}
    for name in wanted:
        if name == "client":
            made[name] = openai.OpenAI(api_key=scenario.api_key, base_url=INPROCESS_URL, max_retries=options.sdk_max_retries,
                                       http_client=httpx2.Client(transport=sync_t(engine)), **sockets)
        elif name == "async_client":
            made[name] = openai.AsyncOpenAI(api_key=scenario.api_key, base_url=INPROCESS_URL,
                                            max_retries=options.sdk_max_retries,
                                            http_client=httpx2.AsyncClient(transport=async_t(engine)), **sockets)
        elif name == "http_client":
            made[name] = httpx2.Client(transport=sync_t(engine), base_url=INPROCESS_URL)
        elif name == "base_url":
            made[name] = session.base_url()
        elif name == "api_key":
            made[name] = scenario.api_key
        elif name == "log_capture":
            made[name] = io.StringIO()
    return made


def execute(session: Session, fn: Callable[..., Any], scenario: Scenario, options: Options | None = None) -> Run:
    """Act out ``scenario`` while ``fn`` runs; return the record."""
    options = options or Options()
    wanted = inputs_of(fn)
    session.reset()
    director = Director(session.engine, scenario).install()
    inputs = _build_inputs(session, scenario, wanted, options)
    outcome = Outcome()
    virtual = VirtualTime(session.engine.clock)

    def target() -> None:
        virtual.thread = threading.get_ident()
        try:
            result = fn(**inputs)
            if inspect.isawaitable(result):
                result = asyncio.run(_awaited(result))
            outcome.value = result
        except BaseException as exc:  # noqa: BLE001 - whatever the client raises is the observation
            outcome.error = exc

    try:
        with virtual:
            thread = threading.Thread(target=target, name="mockapi-harness-client", daemon=True)
            thread.start()
            thread.join(options.hang_timeout)
            outcome.hung = thread.is_alive()
    finally:
        director.uninstall()
    engine = session.engine
    if outcome.hung:
        session.renew()
    capture = inputs.get("log_capture")
    return Run(scenario, list(director.exchanges), outcome, options, engine,
               logs=capture.getvalue() if capture is not None else None, inputs=wanted, sessions=read_sessions(engine))


async def _awaited(awaitable: Any) -> Any:
    return await awaitable
