"""Contract-shaped answers for validation level ``schema``, as spec mocks such as Prism give them.

At that level only the contract's shapes are checked. When a faithful rule inside an operation would
refuse a request that fits the contract (a range, a model rule, an object's state, an unknown id),
the operation answers instead with a deterministic instance of its response schema.
"""

from __future__ import annotations

from typing import Any

from .instances import instance
from .results import JSON, Binary, Event, Stream

_PLACEHOLDER_AUDIO = b"\x00" * 32


def answer(call: Any) -> Any:
    """A deterministic, contract-valid result for ``call`` (JSON, a stream, or bytes)."""
    op = call.op
    r = call.rng("synthesized")
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("stream") in (True, "true") and op.stream_schema is not None:  # multipart forms send "true"
        event = instance(op.stream_schema, r, hints=hints(call))
        name = event.get("type") if isinstance(event, dict) and op.stream_dialect != "chat" else None
        return Stream([Event(event, name)], dialect=op.stream_dialect or "chat")
    media = next((m for m in op.raw.get("responses", {}).get("200", {}).get("content", {}) if m != "text/event-stream"),
                 "application/octet-stream")
    if op.response_schema is None or media != "application/json":  # bytes (audio, file content) or plain text
        return Binary([_PLACEHOLDER_AUDIO if media != "text/plain" else b"text"], media_type=media)
    value = instance(op.response_schema, r, hints=hints(call))
    if isinstance(value, dict) and len(call.path_params) >= 1 and isinstance(value.get("id"), str):
        value["id"] = list(call.path_params.values())[-1]  # the object asked for keeps its id
    return JSON(value)


def hints(call: Any) -> dict[str, Any]:
    """What the request asked for, by property name: the instance echoes each value where it fits the schema."""
    body = call.body if isinstance(call.body, dict) else {}
    return {k: v for k, v in body.items() if isinstance(v, (str, int, float, bool)) and k != "stream"}
