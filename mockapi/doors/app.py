"""The Starlette app: one catch-all route that hands every request to the engine.

Routing lives in the contract, not here, so this module stays a thin adapter:
read the request, call :meth:`Engine.handle`, write the reply (streaming when it streams).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from typing import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from mockapi.assembly import build_engine
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request
from mockapi.core.results import Cut, Pause, Reply
from mockapi.traffic.asgi import MARKER, ConnectionFaults, StreamCut

from .realtime import PATH as REALTIME_PATH
from .realtime import RealtimeDoor

# Headers a browser client may read (CORS): request ids and the rate-limit state.
EXPOSED_HEADERS = [
    "x-request-id", "openai-processing-ms", "openai-version", "openai-organization",
    "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens",
    "retry-after", "retry-after-ms", "x-should-retry", "openai-poll-after-ms",
]
# Multipart uploads larger than this spill from memory to a temporary file.
SPOOL_MEMORY_LIMIT = 1 << 20


class _App(Starlette):
    endpoint: "EngineEndpoint"

    def build_middleware_stack(self):  # noqa: ANN202 - outermost, so it holds the server's own send
        return ConnectionFaults(_FastPath(super().build_middleware_stack(), self.endpoint))


class _FastPath:
    """Pure ASGI: a plain API request (no ``Origin``, so no CORS) goes straight to the engine endpoint.

    Browsers' requests, ``/health`` and the lifespan go through Starlette (CORS, routing); the
    SDKs' requests skip a middleware stack that would only pass them through.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], endpoint: "EngineEndpoint") -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        """Dispatch one ASGI connection."""
        if scope["type"] == "http" and scope["path"] != "/health" and not any(k == b"origin" for k, _ in scope["headers"]):
            await self.endpoint(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    """The ASGI app serving ``engine`` (built from ``settings`` when not given)."""
    engine = engine or build_engine(settings)

    async def health(_: HTTPRequest) -> Response:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = engine
        yield

    endpoint = EngineEndpoint(engine)
    app = _App(
        routes=[Route("/health", health, methods=["GET"]), WebSocketRoute(REALTIME_PATH, RealtimeDoor(engine)),
                Mount("/", app=endpoint)],
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                               expose_headers=EXPOSED_HEADERS, max_age=600)],
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.endpoint = endpoint  # read when Starlette builds the middleware stack, on the first call
    return app


class EngineEndpoint:
    """A pure ASGI endpoint over the engine.

    It skips Starlette's Request/Response objects on purpose: this is the hot path, and the engine
    already returns status, headers and bytes, so the door only moves them between ASGI and the engine.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        """Read the request, let the engine answer, write the reply."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body, body_file = b"", None
        if headers.get("content-type", "").startswith("multipart/"):
            body_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_LIMIT)
            async for chunk in _body_chunks(receive):
                body_file.write(chunk)
            body_file.seek(0)
        else:
            body = b"".join([chunk async for chunk in _body_chunks(receive)])
        request = Request(method=scope["method"], path=scope["path"], headers=headers, body=body,
                          query=scope.get("query_string", b"").decode("latin-1"), body_file=body_file)
        reply = self.engine.handle(request)
        await send_reply(reply, send)


async def _body_chunks(receive: Callable[[], Awaitable[dict]]) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


# Stream chunks produced back to back are written together up to this size: the client sees the same
# bytes, and the server does one write instead of hundreds. Pauses (latency) and faults still flush.
COALESCE_BYTES = 1 << 16


async def send_reply(reply: Reply, send: Callable[[dict], Awaitable[None]]) -> None:
    """Write an engine reply to ASGI ``send``: headers, then the body or the stream."""
    if reply.meta.get("connection"):
        await send({"type": MARKER, "action": reply.meta["connection"]})
        return
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
    if reply.stream is None:
        raw.append((b"content-length", str(len(reply.body)).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": raw})
        await send({"type": "http.response.body", "body": reply.body})
        return
    await send({"type": "http.response.start", "status": reply.status, "headers": raw})
    coalesce = not reply.meta.get("fault")
    buffer: list[bytes] = []
    size = 0
    for chunk in reply.stream:
        if isinstance(chunk, bytes):
            if not coalesce:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                continue
            buffer.append(chunk)
            size += len(chunk)
            if size < COALESCE_BYTES:
                continue
        if buffer:
            await send({"type": "http.response.body", "body": b"".join(buffer), "more_body": True})
            buffer, size = [], 0
        if isinstance(chunk, Pause):
            await asyncio.sleep(chunk.seconds)
        elif isinstance(chunk, Cut):
            raise StreamCut(chunk.reason)
    await send({"type": "http.response.body", "body": b"".join(buffer), "more_body": False})
