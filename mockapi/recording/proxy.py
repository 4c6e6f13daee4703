"""The recording proxy: forward a request upstream with the caller's own credentials, record the exchange.

A stream is relayed to the caller as it arrives and saved once it ends (a stream the caller or a fault
cut short is not saved). Arrival offsets are real elapsed time (``time.monotonic``): they describe the
upstream, not the mock, so the mock's clock has no say in them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from mockapi.core.errors import error_for_status
from mockapi.core.jsonutil import loads
from mockapi.core.results import Reply

from .fixture import Fixture
from .match import raw_body
from .replay import json_format_of

if TYPE_CHECKING:
    from mockapi.core.engine import Call

    from .scrub import Scrubber

# Request headers that belong to this hop, or to the mock alone.
HOP_HEADERS = frozenset({"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
                         "accept-encoding", "proxy-connection"})
# Response headers not worth keeping: per-connection, or recomputed on replay.
DROPPED_RESPONSE_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding", "connection",
                                      "keep-alive", "date", "server", "alt-svc"})
# What an upstream answer must not be recorded as: transient failures would replay forever.
_NOT_RECORDED = (429,)


class DirectTransport(httpx.HTTPTransport):
    """An httpx transport the in-process interception never catches.

    The pytest plugin patches ``httpx.HTTPTransport.handle_request`` so that requests to
    api.openai.com reach the engine; the recording proxy, forwarding to that very URL, must reach
    the network instead, or it would be answering itself (mockapi/doors/intercept.py keeps the
    original method as ``__wrapped__``).
    """

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send with the unpatched transport method."""
        method = httpx.HTTPTransport.handle_request
        return getattr(method, "__wrapped__", method)(self, request)


def upstream_url(upstream: str, call: Call) -> str:
    """The upstream URL of a call: its API path under the upstream base URL, with the query."""
    path = call.request.path
    api_path = path[3:] if path.startswith("/v1/") else path
    query = f"?{call.request.query}" if call.request.query else ""
    return upstream.rstrip("/") + api_path + query


def forward(call: Call, client: httpx.Client, upstream: str, key: str | None = None) -> tuple[httpx.Response, float]:
    """Send the call upstream (streaming the answer) with the caller's key, or ``key``; the response and when it left."""
    headers = {k: v for k, v in call.request.headers.items() if k not in HOP_HEADERS and not k.startswith("x-mockapi")}
    if key:
        headers.pop("api-key", None)
        headers["authorization"] = f"Bearer {key}"
    request = client.build_request(call.request.method, upstream_url(upstream, call), headers=headers,
                                   content=raw_body(call) or None)
    started = time.monotonic()
    try:
        return client.send(request, stream=True), started
    except httpx.HTTPError as exc:
        raise error_for_status(502, f"mockapi could not reach the upstream {upstream}: {type(exc).__name__}: {exc}") from None


def record(call: Call, response: httpx.Response, started: float, scrubber: Scrubber, meaning: dict[str, Any],
           save: Callable[[Fixture, bytes | None], Any]) -> Reply:
    """The caller's reply for an upstream response; the exchange is saved (scrubbed) through ``save``."""
    headers = [(k.lower(), v) for k, v in response.headers.items() if k.lower() not in DROPPED_RESPONSE_HEADERS]
    fixture = Fixture(
        call.op.operation_id, {"mode": "exact", "request": meaning},
        {"method": call.request.method, "path": call.request.path, "query": scrubber.text(call.request.query),
         "headers": dict(scrubber.headers((k, v) for k, v in call.request.headers.items() if k not in HOP_HEADERS))},
        {"status": response.status_code, "headers": [list(h) for h in scrubber.headers(headers)]},
    )
    keep = response.status_code < 500 and response.status_code not in _NOT_RECORDED
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("text/event-stream"):
        def finish(events: list[dict[str, Any]]) -> None:
            if keep:
                fixture.response["stream"] = [{"offset": e["offset"], "raw": scrubber.text(e["raw"])} for e in events]
                save(fixture, None)

        return Reply(response.status_code, headers, stream=_relay(response, started, finish),
                     meta={"dialect": call.op.stream_dialect or "chat", "recorded": True})
    try:
        data = response.read()
    finally:
        response.close()
    binary = None
    if "json" in content_type:
        try:
            body = loads(data)
            fixture.response["body"] = scrubber.json(body)
            layout = json_format_of(body, data)  # so a replay gives the same bytes (OpenAI indents its JSON)
            if layout and layout != "compact":
                fixture.response["json_format"] = layout
        except ValueError:
            fixture.response["text"] = scrubber.text(data.decode("utf-8", errors="replace"))
    elif content_type.startswith("text/") and _is_utf8(data):
        fixture.response["text"] = scrubber.text(data.decode("utf-8"))
    else:
        binary = data
    if keep:
        save(fixture, binary)
    return Reply(response.status_code, headers, data, meta={"recorded": True})


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _relay(response: httpx.Response, started: float, finish: Callable[[list[dict[str, Any]]], None]) -> Iterator[bytes]:
    """Yield the upstream's bytes as they come, splitting SSE events with their arrival offsets.

    The stream is saved once its final event has arrived (before the caller sees it, so a caller that
    stops reading there, as the SDK does, still leaves a fixture), or when the upstream ends it; a
    stream cut short before either is not saved.
    """
    events: list[dict[str, Any]] = []
    buffer = b""
    saved = False
    try:
        for chunk in response.iter_bytes():
            buffer += chunk.replace(b"\r\n", b"\n")
            while b"\n\n" in buffer:
                raw, buffer = buffer.split(b"\n\n", 1)
                events.append({"offset": round(time.monotonic() - started, 4), "raw": raw.decode("utf-8", errors="replace")})
            if not saved and events and not buffer.strip() and _is_last(events[-1]["raw"]):
                saved = True
                finish(events)
            yield chunk
        if buffer.strip():
            events.append({"offset": round(time.monotonic() - started, 4),
                           "raw": buffer.decode("utf-8", errors="replace").rstrip("\n")})
        if not saved:
            saved = True
            finish(events)
    finally:
        response.close()


def _is_last(raw: str) -> bool:
    """Whether an SSE event ends its stream: ``[DONE]``, or a Responses stream's final event."""
    if "data: [DONE]" in raw:
        return True
    return any(f'"type":"{t}"' in raw.replace(" ", "") or f"event: {t}" in raw for t in _FINAL_EVENTS)


_FINAL_EVENTS = ("response.completed", "response.incomplete", "response.failed", "error")
