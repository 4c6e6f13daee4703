"""Checks of one server answer against the contract: status, content type, standard headers, body, SSE events."""

from __future__ import annotations

import json
import re

import httpx
from jsonschema import Draft202012Validator

from mockapi.core import sse
from mockapi.core.contract import Contract, OperationSpec

REQUIRED_HEADERS = ("x-request-id", "openai-version", "openai-processing-ms")


def header_problems(contract: Contract, answer: httpx.Response) -> list[str]:
    """Standard headers missing or malformed."""
    specs = contract.document.get("components", {}).get("x-standard-headers", {})
    problems = [f"header {h} missing" for h in REQUIRED_HEADERS if h not in answer.headers]
    for name, spec in specs.items():
        pattern = (spec.get("schema") or {}).get("pattern")
        value = answer.headers.get(name)
        if value is not None and pattern and not re.search(pattern, value):
            problems.append(f"header {name}: {value!r} does not match {pattern}")
    return problems


def success_problems(contract: Contract, op: OperationSpec, answer: httpx.Response, stream: bool) -> list[str]:
    """Why a valid request's answer breaks the contract (empty when it holds)."""
    if answer.status_code >= 300:
        return [f"HTTP {answer.status_code} to a valid request: {answer.text[:300]}"]
    problems = header_problems(contract, answer)
    kind = answer.headers.get("content-type", "").split(";")[0].strip()
    if stream:
        if kind != "text/event-stream":
            return problems + [f"content-type {kind!r}, expected text/event-stream"]
        return problems + stream_problems(contract, op, answer.content)
    declared = op.raw.get("responses", {}).get("200", {}).get("content")
    if not declared and not answer.content:
        return problems  # an operation that answers nothing (the SDK casts it to None), answered with nothing
    allowed = list(declared or {"application/json": {}})
    allowed += list((op.raw.get("x-response-media-types") or {}).values())
    if kind not in allowed and not any(a.endswith("/*") and kind.startswith(a[:-1]) for a in allowed):
        return problems + [f"content-type {kind!r}, expected one of {allowed}"]
    if kind != "application/json":
        return problems + ([] if answer.content else ["empty body"])
    try:
        body = answer.json()
    except ValueError:
        return problems + ["the body is not JSON"]
    return problems + [f"body {e}" for e in contract.response_errors(op.operation_id, body)[:5]]


def stream_problems(contract: Contract, op: OperationSpec, data: bytes) -> list[str]:
    """Every SSE event must fit the contract, and the stream must end as its dialect says."""
    problems: list[str] = []
    frames = sse.parse(data)
    if not frames:
        return ["an empty event stream"]
    dialect = op.stream_dialect or "chat"
    spec = contract.document.get("x-stream-dialects", {}).get(dialect, {})
    events = []
    for k, (name, text) in enumerate(frames):
        if text == "[DONE]":
            events.append("[DONE]")
            continue
        try:
            event = json.loads(text)
        except ValueError:
            problems.append(f"event {k} is not JSON: {text[:80]!r}")
            continue
        events.append(event)
        # Assistants events carry the object as data and the type as the SSE event name.
        subject = {"event": name, "data": event} if dialect == "assistants" else event
        label = name or (event.get("type") or event.get("object") if isinstance(event, dict) else "")
        problems += [f"event {k} ({label}) {e}" for e in contract.response_errors(op.operation_id, subject, stream=True)[:3]]
    terminal = spec.get("terminal_events")
    if terminal and not any(isinstance(e, dict) and e.get("type") in terminal for e in events):
        problems.append(f"the stream has no terminal event ({', '.join(terminal)})")
    if spec.get("terminator") and not data.replace(b"\r\n", b"\n").endswith(spec["terminator"].encode()):
        problems.append(f"the stream does not end with {spec['terminator']!r}")
    return problems[:8]


def error_problems(contract: Contract, answer: httpx.Response, want: str = "4xx") -> list[str]:
    """An invalid request must get a 4xx (never a 5xx) with an OpenAI-shaped error body."""
    status = answer.status_code
    if not 400 <= status < 500:
        return [f"HTTP {status} to an invalid request, expected {want}: {answer.text[:200]}"]
    if want == "404" and status != 404:
        return [f"HTTP {status}, expected 404"]
    kind = answer.headers.get("content-type", "").split(";")[0].strip()
    problems = [] if kind == "application/json" else [f"error content-type {kind!r}, expected application/json"]
    try:
        body = answer.json()
    except ValueError:
        return problems + ["the error body is not JSON"]
    schema = contract.document["components"]["schemas"]["ErrorResponse"]
    problems += [f"error body {e.message}" for e in Draft202012Validator(schema).iter_errors(body)][:3]
    return problems + header_problems(contract, answer)
