"""Dress a served answer as a scenario says, and read back what it said.

:func:`dress_stream` parses the engine's SSE bytes into events, adds empty deltas, unknown fields
and a usage chunk, frames them again with :mod:`mockapi.core.sse`, and re-cuts the bytes anywhere
(inside a UTF-8 character or a tool call's arguments too). :func:`answer_of` reassembles what a
stream or body said, so checks compare the client's result with what the server really sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import cycle
from typing import Any, Iterable, Iterator

from mockapi.core import sse
from mockapi.core.results import Chunk

from .scenarios import StreamShape

_TERMINAL = ("response.completed", "response.incomplete")
EXTRA = "x_harness_unknown"  # a field the contract does not name; clients must ignore it


@dataclass
class Served:
    """What one answer carried: its events (or body), and whether it was whole."""

    events: list[Any] = field(default_factory=list)
    body: Any = None
    complete: bool = False
    error_event: bool = False
    cut: bool = False


def _dress_event(obj: Any, shape: StreamShape) -> Any:
    if shape.extra_fields and isinstance(obj, dict) and "error" not in obj:
        obj = {**obj, EXTRA: {"note": "unknown to the contract"}}
        if isinstance(obj.get("choices"), list):
            obj["choices"] = [{**c, EXTRA: 1} if isinstance(c, dict) else c for c in obj["choices"]]
    return obj


def _chat_extras(events: list[Any], shape: StreamShape) -> list[Any]:
    chunks = [e for e in events if isinstance(e, dict) and e.get("object") == "chat.completion.chunk"]
    if not chunks:
        return events
    head = {k: chunks[0][k] for k in ("id", "object", "created", "model") if k in chunks[0]}
    out = list(events)
    for k in range(shape.empty_deltas):  # after the role chunk: `{}` and `{"content": ""}` deltas
        delta: dict[str, Any] = {} if k % 2 else {"content": ""}
        out.insert(1, {**head, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}]})
    if shape.usage_chunk and not any(isinstance(e, dict) and e.get("choices") == [] for e in out):
        usage = {"prompt_tokens": 1, "completion_tokens": len(chunks), "total_tokens": 1 + len(chunks)}
        at = next((i for i, e in enumerate(out) if e == "[DONE]"), len(out))
        out.insert(at, {**head, "choices": [], "usage": usage})
    return out


def _pieces(data: bytes, sizes: tuple[int, ...]) -> Iterator[bytes]:
    if not sizes:
        yield data
        return
    at = 0
    for size in cycle(sizes):
        if at >= len(data):
            return
        yield data[at:at + size]
        at += size


def dress_stream(chunks: Iterable[Chunk], shape: StreamShape, served: Served) -> Iterator[Chunk]:
    """The engine's stream dressed per ``shape``; ``served`` records the events as sent."""
    pending = b""
    markers: list[Chunk] = []
    for chunk in chunks:  # materialised: answers are small, and the events must be known before sending
        if isinstance(chunk, bytes) and not markers:
            pending += chunk
        else:
            markers.append(chunk)
    named = sse.parse(pending)
    events: list[Any] = []
    for _, text in named:
        try:
            events.append(json.loads(text))
        except ValueError:
            events.append(text)
    names = [n for n, _ in named]
    dressed = [_dress_event(e, shape) for e in _chat_extras(events, shape)]
    if len(dressed) != len(events):  # chat extras never carry event names
        names = [None] * len(dressed)
    out = b"".join(sse.frame(e if isinstance(e, (dict, list)) else str(e), n) for e, n in zip(dressed, names))
    served.events = dressed
    served.error_event = any(n == "error" or (isinstance(e, dict) and "error" in e) for e, n in zip(dressed, names))
    served.cut = any(not isinstance(m, (bytes, bytearray)) and type(m).__name__ == "Cut" for m in markers)
    ended = any(e == "[DONE]" or (isinstance(e, dict) and e.get("type") in _TERMINAL) for e in dressed)
    served.complete = ended and not served.cut and not served.error_event
    yield from _pieces(out, shape.pieces)
    for marker in markers:
        if isinstance(marker, bytes):
            yield from _pieces(marker, shape.pieces)
        else:
            yield marker


def dress_body(body: bytes, shape: StreamShape, served: Served) -> bytes:
    """A JSON body with unknown fields added when the shape asks for them."""
    try:
        obj = json.loads(body)
    except ValueError:
        served.complete = True
        return body
    obj = _dress_event(obj, shape)
    if shape.extra_fields and isinstance(obj, dict):
        for choice in obj.get("choices") or []:
            if isinstance(choice, dict) and isinstance(choice.get("message"), dict):
                choice["message"] = {**choice["message"], EXTRA: True}
    served.body, served.complete = obj, True
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class ServedAnswer:
    """What the server said: choice 0's text and tool calls."""

    text: str | None
    tool_calls: list[dict[str, str]]


def answer_of(served: Served) -> ServedAnswer | None:
    """Reassemble choice 0 of a chat stream or body (or a Responses stream/body); None when unknown."""
    if served.body is not None:
        return _answer_of_body(served.body)
    text: str | None = None
    calls: dict[int, dict[str, str]] = {}
    seen = False
    for event in served.events:
        if not isinstance(event, dict):
            continue
        if event.get("type") == "response.output_text.delta":
            seen, text = True, (text or "") + str(event.get("delta", ""))
            continue
        for choice in event.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            seen = True
            delta = choice.get("delta") or {}
            if delta.get("content") is not None:
                text = (text or "") + delta["content"]
            for frag in delta.get("tool_calls") or []:
                call = calls.setdefault(frag.get("index", 0), {"id": "", "name": "", "arguments": ""})
                fn = frag.get("function") or {}
                call["id"] = frag.get("id") or call["id"]
                call["name"] = fn.get("name") or call["name"]
                call["arguments"] += fn.get("arguments") or ""
    if not seen:
        return None
    return ServedAnswer(text, [calls[i] for i in sorted(calls)])


def _answer_of_body(body: Any) -> ServedAnswer | None:
    if not isinstance(body, dict):
        return None
    choices = body.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        message = choices[0].get("message") or {}
        calls = [{"id": c.get("id", ""), "name": (c.get("function") or {}).get("name", ""),
                  "arguments": (c.get("function") or {}).get("arguments", "")} for c in message.get("tool_calls") or []]
        return ServedAnswer(message.get("content"), calls)
    if body.get("object") == "response":
        parts = [c.get("text", "") for item in body.get("output") or [] if isinstance(item, dict)
                 for c in item.get("content") or [] if isinstance(c, dict) and c.get("type") == "output_text"]
        return ServedAnswer("".join(parts), [])
    return None
