"""The Responses WebSocket door: ``/v1/responses`` as a WebSocket, the SDK's ``client.responses.connect()``.

Each ``response.create`` event is the body of ``POST /v1/responses`` with ``stream`` implicit (the SDK's
``ResponseCreate``: "the same top-level fields as POST /v1/responses, plus WebSocket-only envelope metadata").
The door hands it to the engine as that request, so it is validated, rate-limited, journaled and stored like
one, and sends the stream's events back as JSON text frames. A refusal comes back as an ``error`` event with
its HTTP ``status`` (``ResponseWsError``); the connection stays open for the next event. Events carry the
``stream_id`` lane their ``response.create`` named. The mock finishes a response before it reads the next
event, so a ``response.steer`` always finds its target completed (``response_already_completed``) or unknown
on this connection (``response_not_found``), two of the codes ``ResponseSteerFailedEvent`` documents.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from mockapi.api.responses.service import GENERATE_HEADER
from mockapi.core import sse
from mockapi.core.engine import Engine, Request
from mockapi.core.errors import (
    InvalidRequestError,
    InvalidValueError,
    MockAPIError,
    supported_values,
)
from mockapi.core.jsonutil import dumps, loads
from mockapi.core.limits import parse_json_body
from mockapi.core.results import Cut, Pause, Reply
from mockapi.core.schema_errors import wrong_type
from mockapi.core.store import MemoryStore

PATHS = ("/v1/responses", "/responses")
CLIENT_EVENTS = ("response.create", "response.steer")
POLICY_VIOLATION, INTERNAL_ERROR = 1008, 1011

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ResponsesSocketDoor:
    """The ASGI app for the ``websocket`` scope at :data:`PATHS`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.offload = not isinstance(engine.store, MemoryStore)  # a shared store may block: as the HTTP door

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        """Run one WebSocket connection to its end."""
        if (await receive())["type"] != "websocket.connect":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        headers.pop(GENERATE_HEADER, None)  # the door's own word, never the client's
        await send({"type": "websocket.accept"})
        lane = SocketSession(self, headers, send)
        try:
            self.engine.authenticate(headers)
        except MockAPIError as exc:  # told as an error event, then closed (as the Realtime door answers a bad key)
            await lane.error(exc.status, exc.body()["error"], None)
            await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": str(exc.code or "invalid_api_key")[:100]})
            return
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text") if message.get("text") is not None else message.get("bytes") or b""
            try:
                if not await lane.apply(raw.encode() if isinstance(raw, str) else raw):
                    return
            except OSError:  # the client left mid-stream
                return


class SocketSession:
    """One connection: the responses it created (their lanes) and the event counter of its steering replies."""

    def __init__(self, door: ResponsesSocketDoor, headers: dict[str, str], send: Send) -> None:
        self.door, self.headers, self.send = door, headers, send
        self.lanes: dict[str, str | None] = {}  # response id -> the stream_id its create named
        self.sent = 0

    async def apply(self, raw: bytes) -> bool:
        """Answer one client event; False when the connection was cut (an injected fault)."""
        try:
            event = parse_json_body(raw, "application/json", self.door.engine.limits)
            kind = event.get("type")
            if kind == "response.create":
                return await self.create(event)
            if kind == "response.steer":
                await self.steer(event)
                return True
            # The union of client events (ResponsesClientEvent) has these two types only.
            raise InvalidValueError(f"Invalid value: {dumps(kind).decode()}. Supported values are: {supported_values(CLIENT_EVENTS)}.",
                                    param="type")
        except MockAPIError as exc:
            await self.error(exc.status, exc.body()["error"], None)
            return True

    async def create(self, event: dict[str, Any]) -> bool:
        """Run one ``response.create`` as ``POST /v1/responses`` with ``stream: true``; send its events."""
        body = {k: v for k, v in event.items() if k not in ("type", "stream_id", "generate")}
        stream_id = event.get("stream_id")
        if stream_id is not None and not isinstance(stream_id, str):
            raise wrong_type("stream_id", "string", stream_id)
        if body.get("background"):
            # The SDK's ResponseCreate (the WebSocket client event): "`background` is not supported over WebSocket."
            raise InvalidRequestError("The 'background' parameter is not supported over WebSocket.", param="background")
        body["stream"] = True  # "`stream` is implicit over WebSocket"; a client that sends it anyway is not refused
        headers = {**self.headers, "content-type": "application/json"}
        if event.get("generate") is False:
            headers[GENERATE_HEADER] = "false"
        request = Request("POST", "/v1/responses", headers, dumps(body))
        reply, chunks = await self._run(request)
        if reply.status >= 400:
            await self.error(reply.status, loads(reply.body)["error"], stream_id)
            return True
        for chunk in chunks:
            if isinstance(chunk, Pause):
                await asyncio.sleep(chunk.seconds)
            elif isinstance(chunk, Cut):
                with contextlib.suppress(Exception):
                    await self.send({"type": "websocket.close", "code": INTERNAL_ERROR, "reason": "connection dropped (injected fault)"})
                return False
            elif isinstance(chunk, (bytes, bytearray)):
                for data in _json_events(bytes(chunk)):
                    if data.get("type") == "response.created":
                        self.lanes[data["response"]["id"]] = stream_id
                    await self.emit(data, stream_id)
        return True

    async def _run(self, request: Request) -> tuple[Reply, list[Any]]:
        """The engine's reply and its stream read to the end (in a worker thread when the store may block)."""
        def run() -> tuple[Reply, list[Any]]:
            reply = self.door.engine.handle(request)
            return reply, list(reply.stream) if reply.stream is not None else []

        return await anyio.to_thread.run_sync(run) if self.door.offload else run()

    async def steer(self, event: dict[str, Any]) -> None:
        """``response.steer``: the target has always finished here, so the input comes back uncommitted."""
        target = event.get("previous_response_id")
        if not isinstance(target, str) or "input" not in event:
            missing = "previous_response_id" if not isinstance(target, str) else "input"
            raise InvalidRequestError(f"Missing required parameter: '{missing}'.", param=missing, code="missing_required_parameter")
        known = target in self.lanes
        code = "response_already_completed" if known else "response_not_found"
        message = ("The response completed and is no longer accepting steering input." if known
                   else f"Response with id '{target}' is not available on this connection.")
        await self.emit({"type": "response.steer.failed", "sequence_number": self.sent,
                         "error": {"type": "invalid_request_error", "code": code, "message": message},
                         "steer": {"previous_response_id": target, "input": event["input"]}},
                        self.lanes.get(target))

    async def error(self, status: int, error: dict[str, Any], stream_id: str | None) -> None:
        """An ``error`` event: the error object of the HTTP answer and its status."""
        await self.emit({"type": "error", "status": status,
                         "error": {"type": error.get("type"), "code": error.get("code"), "message": error.get("message"),
                                   "param": error.get("param")}}, stream_id)

    async def emit(self, event: dict[str, Any], stream_id: str | None) -> None:
        """Send one event as a text frame, in the lane it belongs to."""
        if stream_id is not None:
            event["stream_id"] = stream_id
        self.sent += 1
        await self.send({"type": "websocket.send", "text": dumps(event).decode()})


def _json_events(frames: bytes) -> list[dict[str, Any]]:
    """The JSON object of each SSE event in ``frames`` (anything else, such as a ``[DONE]``, is no event here)."""
    found = []
    for _, text in sse.parse(frames):
        try:
            data = loads(text)
        except ValueError:
            continue
        if isinstance(data, dict):
            found.append(data)
    return found
