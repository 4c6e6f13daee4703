"""The Starlette app: one catch-all route that hands every request to the engine.

Routing lives in the contract, not here, so this module stays a thin adapter:
read the request, call :meth:`Engine.handle`, write the reply (streaming when it streams).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import tempfile
import types
from typing import Any, AsyncIterator, Awaitable, Callable, Iterator

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from mockapi.assembly import build_engine
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request
from mockapi.core.errors import MockAPIError, RequestTimeoutError
from mockapi.core.limits import check_body_size, too_large, upload_too_large
from mockapi.core.results import Cut, Pause, Reply
from mockapi.core.store import MemoryStore
from mockapi.traffic.asgi import MARKER, ConnectionFaults, StreamCut
from mockapi.traffic.control import PREFIX as CONTROL_PREFIX

from .realtime import PATH as REALTIME_PATH
from .realtime import RealtimeDoor
from .responses_socket import PATHS as RESPONSES_SOCKET_PATHS
from .responses_socket import ResponsesSocketDoor

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
    SDKs' requests skip a middleware stack that would only pass them through. The control plane
    always goes straight to the engine: it answers no CORS at all (not even a preflight), so no
    other web page may read it, and it refuses such pages' requests itself (mockapi.traffic.access).
    """

    def __init__(self, app: Callable[..., Awaitable[None]], endpoint: "EngineEndpoint") -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        """Dispatch one ASGI connection."""
        if scope["type"] == "http" and scope["path"] != "/health":
            headers = _decoded(scope["headers"])
            if "origin" not in headers or scope["path"].startswith(CONTROL_PREFIX):
                await self.endpoint.answer(scope, headers, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    """The ASGI app serving ``engine`` (built from ``settings`` when not given)."""
    engine = engine or build_engine(settings)

    health_threads = anyio.CapacityLimiter(2)  # its own threads: never queued behind API requests waiting on Redis

    async def health(_: HTTPRequest) -> Response:
        """200 while the server and its store answer; 503 (compose and Kubernetes see it) when the store is down."""
        check = getattr(engine.store, "healthy", None)
        if check is None or isinstance(engine.store, MemoryStore):
            return JSONResponse({"status": "ok"})
        if await anyio.to_thread.run_sync(check, limiter=health_threads):
            return JSONResponse({"status": "ok", "store": "ok"})
        return JSONResponse({"status": "unavailable", "store": "down"}, status_code=503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = engine
        yield

    endpoint = EngineEndpoint(engine)
    responses_socket = ResponsesSocketDoor(engine)
    app = _App(
        routes=[Route("/health", health, methods=["GET"]), WebSocketRoute(REALTIME_PATH, RealtimeDoor(engine)),
                *[WebSocketRoute(path, responses_socket) for path in RESPONSES_SOCKET_PATHS],
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
        # A shared store (Redis) may block for its timeout: the engine then runs in worker threads, never on the
        # event loop. The memory store never blocks, so the hot path stays on the loop.
        self.offload = not isinstance(engine.store, MemoryStore)

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
        """Read the request, let the engine answer, write the reply."""
        if scope["type"] == "websocket":  # no WebSocket is served here: closed before the upgrade, which is a 403
            if (await receive())["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008})
            return
        await self.answer(scope, _decoded(scope["headers"]), receive, send)

    async def answer(self, scope: dict, headers: dict[str, str], receive: Callable[[], Awaitable[dict]],
                     send: Callable[[dict], Awaitable[None]]) -> None:
        """``__call__`` with the request headers already decoded."""
        try:
            body, body_file = await self._read_body(scope["path"], headers, receive)
        except MockAPIError as exc:  # too large or too slow: answered without reading the rest
            await send_reply(self.engine.error_reply(exc), send)
            return
        request = Request(method=scope["method"], path=scope["path"], headers=headers, body=body,
                          query=scope.get("query_string", b"").decode("latin-1"), body_file=body_file)
        if self.offload:
            reply = await anyio.to_thread.run_sync(self._handle, request)
        else:
            reply = self._handle(request)
        await send_reply(reply, send, offload=self.offload)

    def _handle(self, request: Request) -> Reply:
        try:
            return self.engine.handle(request)
        except MockAPIError as exc:  # e.g. the store failing while the engine finishes a reply: still the OpenAI shape
            return self.engine.error_reply(exc)

    async def _read_body(self, path: str, headers: dict[str, str], receive: Callable[[], Awaitable[dict]]) -> tuple[bytes, Any]:
        """The body (a spooled file for multipart), refused (413) at its route's limit before buffering past it."""
        limits = self.engine.limits
        content_type = headers.get("content-type", "")
        limit = limits.body_limit(path, content_type)
        declared = headers.get("content-length", "")
        if declared.isdigit():
            check_body_size(path, content_type, int(declared), limits)
        if content_type.lstrip().lower().startswith("multipart/"):
            body_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_LIMIT)
            try:
                await _read_into(body_file.write, receive, limits.body_timeout, limit, lambda size: upload_too_large(limit, size))
            except BaseException:  # refused, stalled or cancelled: the bytes spooled so far go now
                body_file.close()
                raise
            body_file.seek(0)
            return b"", body_file
        parts: list[bytes] = []
        await _read_into(parts.append, receive, limits.body_timeout, limit, lambda size: too_large(limit))
        return parts[0] if len(parts) == 1 else b"".join(parts), None


def _decoded(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI's header pairs as the engine's dict (names arrive lower-case; a repeated name keeps its last value)."""
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}


async def _read_into(write: Callable[[bytes], Any], receive: Callable[[], Awaitable[dict]], timeout: float | None,
                     limit: int, refused: Callable[[int], MockAPIError]) -> None:
    """Hand the request body's pieces to ``write`` in order; ``refused(size)`` is raised once they pass ``limit`` bytes."""
    # A loop rather than an async generator: asyncio registers every async generator it first iterates (a weak
    # set entry per request), which showed in per-request profiles.
    size = 0
    while True:
        message = await _receive_within(receive, timeout)
        if message["type"] == "http.disconnect":
            return  # the client has gone: nothing more comes
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise refused(size)
        write(chunk)
        if not message.get("more_body", False):
            return


async def _receive_within(receive: Callable[[], Awaitable[dict]], timeout: float | None) -> dict:
    """The next ASGI message, or a 408 when none comes within ``timeout`` seconds."""
    pending = receive()
    if inspect.iscoroutine(pending):
        # A small body has usually arrived with the headers, and uvicorn's receive() then returns without
        # waiting: take it at once, with no timer (a timer per request was 4-5% of a chat's CPU in profiles).
        try:
            waiting = pending.send(None)
        except StopIteration as done:
            return done.value
        pending = _go_on(pending, waiting)
    try:
        return await asyncio.wait_for(pending, timeout)
    except asyncio.TimeoutError:
        raise RequestTimeoutError(f"Request timed out: the request body stalled for more than {timeout:g} seconds.",
                                  code="request_timeout") from None


async def _go_on(coro: Any, waiting: Any) -> Any:
    return await _resume(coro, waiting)  # a real coroutine around the generator: wait_for takes no generators on 3.12+


@types.coroutine
def _resume(coro: Any, waiting: Any) -> Any:
    """Go on running ``coro``, which has already handed ``waiting`` to the event loop (``yield from``, spelt out)."""
    while True:
        try:
            sent = yield waiting
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - cancellation and timeouts go into the coroutine, as await does
            try:
                waiting = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting = coro.send(sent)
            except StopIteration as done:
                return done.value


# Stream chunks produced back to back are written together up to this size: the client sees the same
# bytes, and the server does one write instead of hundreds. Pauses (latency) and faults still flush.
COALESCE_BYTES = 1 << 16


async def send_reply(reply: Reply, send: Callable[[dict], Awaitable[None]], offload: bool = False) -> None:
    """Write an engine reply to ASGI ``send``: headers, then the body or the stream.

    ``offload``: produce stream chunks in a worker thread (the engine's store may block).
    """
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
    limit = COALESCE_BYTES if not reply.meta.get("fault") else 1  # a faulted stream keeps its chunking as it is
    chunks = iter(reply.stream)
    while True:
        if offload:
            data, marker, done = await anyio.to_thread.run_sync(_next_batch, chunks, limit)
        else:
            data, marker, done = _next_batch(chunks, limit)
        if done:
            await send({"type": "http.response.body", "body": data, "more_body": False})
            return
        if data:
            await send({"type": "http.response.body", "body": data, "more_body": True})
        if isinstance(marker, Pause):
            await asyncio.sleep(marker.seconds)
        elif isinstance(marker, Cut):
            raise StreamCut(marker.reason)


def _next_batch(chunks: Iterator[Any], limit: int) -> tuple[bytes, Any, bool]:
    """Bytes produced back to back (up to ``limit``), the Pause or Cut that stopped them, and whether the stream ended."""
    buffer: list[bytes] = []
    size = 0
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            return b"".join(buffer), chunk, False
        buffer.append(chunk)
        size += len(chunk)
        if size >= limit:
            return b"".join(buffer), None, False
    return b"".join(buffer), None, True
