"""Server behaviours the contract allows, as plain data and as Hypothesis strategies.

A :class:`Scenario` is what the mock does to each request a client sends, in order (an error
status, a stall, a cut stream...; once the list runs out every request is answered normally),
plus the answer's content and how its stream is framed. Every value has an evaluable ``repr``,
so a shrunk counterexample prints as a script that :func:`mockapi.harness.replay` runs again.
Strategies check their arguments when called, not when drawn, and compose from small pieces.
Realtime sessions get their own behaviours, one per response (:mod:`.realtime_scenarios`, names
re-exported here so a printed scenario replays after ``from mockapi.harness.scenarios import *``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Sequence, Union

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .realtime_scenarios import (  # noqa: F401 - re-exported for replay scripts and strategy users
    CallsFunction,
    CancelledMidStream,
    DroppedSession,
    RealtimeAnswer,
    RealtimeBehaviour,
    RealtimeErrorEvent,
    SlowCancel,
    cancels,
    drops,
    error_events,
    function_calls,
    realtime_behaviours,
)

ERROR_STATUSES = (400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504)
RETRYABLE_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600))
# Characters that are several bytes in UTF-8 (2, 2, 3, 3, 4, 4), so a byte split can land inside one.
WIDE_CHARS = ("é", "ß", "€", "你", "🙂", "👍")
_TEXT_ALPHABET = tuple("ab c.,\n") + WIDE_CHARS
_TOOL_NAMES = ("get_weather", "lookup_order", "add")


# -- behaviours: one per request, in order -----------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """Answer the request normally (the content and stream shape come from the scenario)."""

    def describe(self) -> str:
        """One line for the replay script."""
        return "answer normally"


@dataclass(frozen=True)
class ErrorStatus:
    """An error response, with exactly the retry headers given (None: header absent)."""

    status: int
    code: str | None = None
    retry_after_ms: int | None = None
    retry_after: int | None = None
    should_retry: bool | None = None

    def describe(self) -> str:
        """One line for the replay script."""
        headers = [f"retry-after-ms: {self.retry_after_ms}" if self.retry_after_ms is not None else "",
                   f"retry-after: {self.retry_after}" if self.retry_after is not None else "",
                   f"x-should-retry: {str(self.should_retry).lower()}" if self.should_retry is not None else ""]
        shown = ", ".join(h for h in headers if h) or "no retry headers"
        return f"HTTP {self.status}{' ' + self.code if self.code else ''} ({shown})"


@dataclass(frozen=True)
class Stall:
    """Accept the connection and send nothing until the client gives up."""

    def describe(self) -> str:
        """One line for the replay script."""
        return "stall (send nothing until the client times out)"


@dataclass(frozen=True)
class Reset:
    """Drop the connection before any response header."""

    def describe(self) -> str:
        """One line for the replay script."""
        return "reset the connection before the headers"


@dataclass(frozen=True)
class CutStream:
    """Start a 200 answer, then drop the connection after ``after`` events (a half body if not a stream)."""

    after: int = 0

    def describe(self) -> str:
        """One line for the replay script."""
        return f"cut the connection after {self.after} event(s)"


@dataclass(frozen=True)
class StreamError:
    """Start a 200 stream, then send the dialect's error event after ``after`` events and stop."""

    after: int = 0
    code: str = "server_error"

    def describe(self) -> str:
        """One line for the replay script."""
        return f"send a mid-stream error event ({self.code}) after {self.after} event(s)"


@dataclass(frozen=True)
class SpentWindow:
    """The key's requests-per-minute window is spent: the mock's own limiter answers 429 until the minute ends."""

    rpm: int = 3

    def describe(self) -> str:
        """One line for the replay script."""
        return f"the key's {self.rpm} requests per minute are used up (the limiter answers 429 until the minute ends)"


Behaviour = Union[Answer, ErrorStatus, Stall, Reset, CutStream, StreamError, SpentWindow]


# -- what a normal answer says and how it is framed ------------------------------------------------
@dataclass(frozen=True)
class ToolCall:
    """One function call in the answer; ``arguments`` is JSON text."""

    name: str
    arguments: str


@dataclass(frozen=True)
class Content:
    """The assistant's answer: text, or (parallel) tool calls."""

    text: str | None = "Hello!"
    tool_calls: tuple[ToolCall, ...] = ()

    def canned(self) -> dict[str, object]:
        """The queued-reply form (:mod:`mockapi.core.overrides`)."""
        if self.tool_calls:
            return {"tool_calls": [{"name": c.name, "arguments": c.arguments} for c in self.tool_calls]}
        return {"content": self.text or ""}


@dataclass(frozen=True)
class StreamShape:
    """How a successful stream (or body) is dressed: byte pieces, empty deltas, unknown fields, a usage chunk."""

    pieces: tuple[int, ...] = ()  # byte sizes the whole stream is re-cut into, cycled; () keeps whole frames
    empty_deltas: int = 0
    extra_fields: bool = False
    usage_chunk: bool = False

    def describe(self) -> str:
        """One line for the replay script."""
        parts = [f"re-cut into byte pieces {list(self.pieces)} (cycled)" if self.pieces else "whole SSE frames"]
        if self.empty_deltas:
            parts.append(f"{self.empty_deltas} empty delta chunk(s)")
        if self.extra_fields:
            parts.append("unknown extra fields in bodies and events")
        if self.usage_chunk:
            parts.append("a usage-only chunk (choices: []) at the end")
        return ", ".join(parts)


@dataclass(frozen=True)
class Scenario:
    """Everything the mock will do for one run of the client."""

    behaviours: tuple[Behaviour, ...] = ()
    content: Content = field(default_factory=Content)
    shape: StreamShape = field(default_factory=StreamShape)
    api_key: str = "sk-proj-harness0000000000000000000000000000000000000000"
    realtime: tuple[RealtimeBehaviour, ...] = ()  # one per response.create on a Realtime session, in order

    def behaviour(self, attempt: int) -> Behaviour:
        """What to do to the request numbered ``attempt`` (0-based)."""
        return self.behaviours[attempt] if attempt < len(self.behaviours) else Answer()

    def realtime_behaviour(self, response: int) -> RealtimeBehaviour:
        """What to do to the Realtime response numbered ``response`` (0-based, across the run's sessions)."""
        return self.realtime[response] if response < len(self.realtime) else RealtimeAnswer()

    def script(self) -> str:
        """The scenario as numbered lines a person can read."""
        lines = [f"  request {i + 1}: {b.describe()}" for i, b in enumerate(self.behaviours)]
        lines.append(f"  request {len(self.behaviours) + 1} and later: answer normally")
        what = (f"tool calls {[(c.name, c.arguments) for c in self.content.tool_calls]}" if self.content.tool_calls
                else f"text {self.content.text!r}")
        lines.append(f"  answers say: {what}; streams: {self.shape.describe()}")
        if self.realtime:
            lines += [f"  realtime response {i + 1}: {b.describe()}" for i, b in enumerate(self.realtime)]
            lines.append(f"  realtime response {len(self.realtime) + 1} and later: answer normally")
        return "\n".join(lines)


# -- strategies ----------------------------------------------------------------------------
def _check_statuses(statuses: Iterable[int]) -> tuple[int, ...]:
    out = tuple(statuses)
    if not out:
        raise InvalidArgument("statuses must name at least one HTTP status")
    for status in out:
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise InvalidArgument(f"statuses must be HTTP error statuses (400-599), not {status!r}")
    return out


def texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Answer text with multi-byte UTF-8 characters, so byte splits fall inside them."""
    if max_size < 1:
        raise InvalidArgument(f"max_size must be at least 1, not {max_size}")
    return st.text(alphabet=st.sampled_from(_TEXT_ALPHABET), min_size=1, max_size=max_size)


def tool_calls(max_calls: int = 3) -> st.SearchStrategy[tuple[ToolCall, ...]]:
    """One or more parallel tool calls whose JSON arguments hold multi-byte text."""
    if max_calls < 1:
        raise InvalidArgument(f"max_calls must be at least 1, not {max_calls}")
    args = st.dictionaries(st.sampled_from(("city", "id", "q")), texts(12), min_size=1, max_size=2)
    call = st.builds(ToolCall, name=st.sampled_from(_TOOL_NAMES),
                     arguments=args.map(lambda a: json.dumps(a, ensure_ascii=False, separators=(",", ":"))))
    return st.lists(call, min_size=1, max_size=max_calls).map(tuple)


def contents(tools: bool = True) -> st.SearchStrategy[Content]:
    """Text answers, and (unless ``tools`` is False) parallel tool-call answers."""
    text = st.builds(Content, text=texts(), tool_calls=st.just(()))
    if not tools:
        return text
    return st.one_of(text, st.builds(Content, text=st.none(), tool_calls=tool_calls()))


def stream_shapes(split: bool = True, extras: bool = True) -> st.SearchStrategy[StreamShape]:
    """Byte re-cuts anywhere, empty deltas, unknown fields and usage chunks."""
    pieces = st.lists(st.integers(1, 12), max_size=4).map(tuple) if split else st.just(())
    return st.builds(StreamShape, pieces=pieces, empty_deltas=st.integers(0, 2) if extras else st.just(0),
                     extra_fields=st.booleans() if extras else st.just(False),
                     usage_chunk=st.booleans() if extras else st.just(False))


def error_statuses(statuses: Sequence[int] = ERROR_STATUSES, *, retry_headers: bool = True,
                   max_delay_ms: int = 3000) -> st.SearchStrategy[ErrorStatus]:
    """Each error status with and without ``retry-after-ms``, ``retry-after`` and ``x-should-retry``."""
    chosen = _check_statuses(statuses)
    if max_delay_ms < 1:
        raise InvalidArgument(f"max_delay_ms must be at least 1, not {max_delay_ms}")
    maybe = (lambda s: st.none() | s) if retry_headers else (lambda s: st.none())
    return st.builds(ErrorStatus, status=st.sampled_from(chosen), code=st.none(),
                     retry_after_ms=maybe(st.integers(1, max_delay_ms)),
                     retry_after=maybe(st.integers(1, max(1, max_delay_ms // 1000))),
                     should_retry=maybe(st.booleans()))


def rate_limits(max_length: int = 3) -> st.SearchStrategy[tuple[Behaviour, ...]]:
    """A run of 429 rate_limit_exceeded answers advertising how long to wait, or a spent window of the real limiter."""
    if max_length < 1:
        raise InvalidArgument(f"max_length must be at least 1, not {max_length}")
    one = st.builds(ErrorStatus, status=st.just(429), code=st.just("rate_limit_exceeded"),
                    retry_after_ms=st.integers(1, 3000), retry_after=st.none() | st.integers(1, 3))
    window = st.builds(SpentWindow, rpm=st.integers(1, 5)).map(lambda w: (w,))
    return st.one_of(st.lists(one, min_size=1, max_size=max_length).map(tuple), window)


def connection_faults() -> st.SearchStrategy[Behaviour]:
    """Stalls and resets."""
    return st.sampled_from((Stall(), Reset()))


def stream_faults(max_after: int = 4) -> st.SearchStrategy[Behaviour]:
    """Cut streams and mid-stream error events."""
    after = st.integers(0, max_after)
    return st.one_of(st.builds(CutStream, after=after), st.builds(StreamError, after=after))


def behaviours(*parts: st.SearchStrategy[Behaviour], max_length: int = 3) -> st.SearchStrategy[tuple[Behaviour, ...]]:
    """Sequences of the given behaviours (default: every kind), rate-limit runs included."""
    if max_length < 0:
        raise InvalidArgument(f"max_length must be 0 or more, not {max_length}")
    one = st.one_of(*parts) if parts else st.one_of(error_statuses(), connection_faults(), stream_faults())
    single = st.lists(one, max_size=max_length).map(tuple)
    if parts:
        return single
    return st.one_of(single, rate_limits(max_length))


def api_keys() -> st.SearchStrategy[str]:
    """Keys in every format the platform issues (legacy, project, service account)."""
    body = "Ab3_x-Z9" * 20
    return st.sampled_from((f"sk-{'A1b2C3d4' * 6}", f"sk-proj-{body[:132]}", f"sk-svcacct-{body[:100]}"))


def scenarios(behaviour: st.SearchStrategy[tuple[Behaviour, ...]] | None = None,
              content: st.SearchStrategy[Content] | None = None,
              shape: st.SearchStrategy[StreamShape] | None = None,
              api_key: st.SearchStrategy[str] | None = None,
              realtime: st.SearchStrategy[tuple[RealtimeBehaviour, ...]] | None = None) -> st.SearchStrategy[Scenario]:
    """Scenarios built from the given parts (each defaults to the widest strategy; ``realtime`` to none)."""
    return st.builds(Scenario, behaviours=behaviour if behaviour is not None else behaviours(),
                     content=content if content is not None else contents(),
                     shape=shape if shape is not None else stream_shapes(),
                     api_key=api_key if api_key is not None else api_keys(),
                     realtime=realtime if realtime is not None else st.just(()))


def default() -> st.SearchStrategy[Scenario]:
    """Every behaviour the contract allows: faults, rate limits, chunking, extras, usage chunks, tool calls."""
    return scenarios()


def streaming() -> st.SearchStrategy[Scenario]:
    """No faults: only how a correct answer is framed (chunk boundaries, empty deltas, extras, usage)."""
    return scenarios(behaviour=st.just(()))


def retries(statuses: Sequence[int] = ERROR_STATUSES) -> st.SearchStrategy[Scenario]:
    """Error statuses (with and without retry headers) and rate-limit runs before a plain answer."""
    return scenarios(behaviour=st.one_of(behaviours(error_statuses(statuses)), rate_limits()),
                     content=contents(tools=False), shape=st.just(StreamShape()))


def realtime(*parts: st.SearchStrategy[RealtimeBehaviour], max_length: int = 3) -> st.SearchStrategy[Scenario]:
    """Realtime sessions: per-response cancels, function calls, error events and drops (default: all), no HTTP faults."""
    return scenarios(behaviour=st.just(()), content=st.just(Content()), shape=st.just(StreamShape()),
                     realtime=realtime_behaviours(*parts, max_length=max_length))
