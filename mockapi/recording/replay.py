"""Replay: a fixture back into an engine reply, with the recorded event boundaries and (optionally) timing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mockapi.core.jsonutil import dumps, loads
from mockapi.core.results import Chunk, Pause, Reply

from .fixture import Fixture

# Headers the mock recomputes on replay, so its own rate limits and request ids apply on top.
RECOMPUTED_HEADERS = ("x-ratelimit-", "x-request-id", "openai-processing-ms", "openai-version", "content-length")


def reply_of(fixture: Fixture, dialect: str | None, speed: float | None = None) -> Reply:
    """The recorded answer of ``fixture`` as a reply (a stream paced at ``speed`` times the recorded pace)."""
    response = fixture.response
    headers = [(k, v) for k, v in response.get("headers", []) if not k.lower().startswith(RECOMPUTED_HEADERS)]
    meta: dict[str, Any] = {"replayed": fixture.name}
    status = fixture.status
    if "stream" in response:
        meta["dialect"] = dialect or "chat"
        return Reply(status, headers, stream=events(response["stream"], speed), meta=meta)
    if "body" in response:
        return Reply(status, headers, json_bytes(response["body"], response.get("json_format")), meta=meta)
    if "text" in response:
        return Reply(status, headers, response["text"].encode("utf-8"), meta=meta)
    return Reply(status, headers, fixture.binary() or b"", meta=meta)


def json_bytes(body: Any, json_format: str | None) -> bytes:
    """A JSON body laid out as the upstream laid it out: compact (the default) or ``indent2`` (``indent2+nl``)."""
    if json_format and json_format.startswith("indent2"):
        text = json.dumps(body, indent=2, ensure_ascii=False) + ("\n" if json_format.endswith("+nl") else "")
        return text.encode("utf-8")
    return dumps(body)


def json_format_of(body: Any, raw: bytes) -> str | None:
    """The layout of an upstream's JSON bytes, when :func:`json_bytes` can give them back exactly; else None."""
    for candidate in (None, "indent2", "indent2+nl"):
        if json_bytes(body, candidate) == raw:
            return candidate or "compact"
    return None


def events(recorded: list[dict[str, Any]], speed: float | None) -> Iterator[Chunk]:
    """Each recorded SSE event as one chunk, with a pause before it when replaying the timing."""
    previous = 0.0
    for event in recorded:
        offset = float(event.get("offset") or 0.0)
        if speed and offset > previous:
            yield Pause((offset - previous) / speed)
        previous = max(previous, offset)
        yield event["raw"].encode("utf-8") + b"\n\n"


def stream_data(recorded: list[dict[str, Any]]) -> list[Any]:
    """The parsed ``data:`` of each recorded event (raw text where it is not JSON, e.g. ``[DONE]``)."""
    out = []
    for event in recorded:
        lines = [line[5:].lstrip() for line in event["raw"].split("\n") if line.startswith("data:")]
        text = "\n".join(lines)
        try:
            out.append(loads(text))
        except ValueError:
            out.append(text)
    return out


def usage_tokens(fixture: Fixture) -> int:
    """The recorded usage's total tokens (what the answer charges against token rate limits)."""
    bodies = [fixture.response.get("body")] if "body" in fixture.response else stream_data(fixture.response.get("stream", []))
    total = 0
    for body in bodies:
        if isinstance(body, dict):
            inner = body.get("response")  # a Responses stream event carries the response
            usage = inner.get("usage") if isinstance(inner, dict) else body.get("usage")
            if isinstance(usage, dict) and isinstance(usage.get("total_tokens"), int):
                total = max(total, usage["total_tokens"])
    return total
