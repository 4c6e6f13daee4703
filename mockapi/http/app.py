"""The Starlette app: one catch-all route that hands every request to the engine.

Routing lives in the contract, not here, so this module stays a thin adapter:
read the request, call :meth:`Engine.handle`, write the reply (streaming when it streams).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..config import Settings
from ..engine import Engine, Request
from ..results import Cut, Pause, Reply
from ..traffic.asgi import ConnectionFaultResponse, ConnectionFaults, StreamCut

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
    def build_middleware_stack(self):  # noqa: ANN202 - outermost, so it holds the server's own send
        return ConnectionFaults(super().build_middleware_stack())


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    """The ASGI app serving ``engine`` (built from ``settings`` when not given)."""
    engine = engine or Engine(settings)

    async def health(_: HTTPRequest) -> Response:
        return JSONResponse({"status": "ok"})

    async def endpoint(http: HTTPRequest) -> Response:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in http.scope["headers"]}
        body, body_file = b"", None
        if headers.get("content-type", "").startswith("multipart/"):
            body_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_LIMIT)
            async for chunk in http.stream():
                body_file.write(chunk)
            body_file.seek(0)
        else:
            body = await http.body()
        request = Request(method=http.method, path=http.url.path, headers=headers, body=body,
                          query=http.scope.get("query_string", b"").decode("latin-1"), body_file=body_file)
        reply = engine.handle(request)
        return to_response(reply)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = engine
        yield

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
    app = _App(
        routes=[Route("/health", health, methods=["GET"]), Route("/{path:path}", endpoint, methods=methods)],
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                               expose_headers=EXPOSED_HEADERS, max_age=600)],
        lifespan=lifespan,
    )
    app.state.engine = engine
    return app


def to_response(reply: Reply) -> Response:
    """A Starlette response for an engine reply."""
    if reply.meta.get("connection"):
        return ConnectionFaultResponse(reply.meta["connection"])  # type: ignore[return-value]
    headers = {}
    for key, value in reply.headers:
        headers[key] = value
    media_type = headers.pop("content-type", None)
    if reply.stream is None:
        return Response(reply.body, status_code=reply.status, headers=headers, media_type=media_type)
    return StreamingResponse(_paced(reply), status_code=reply.status, headers=headers, media_type=media_type)


async def _paced(reply: Reply) -> AsyncIterator[bytes]:
    assert reply.stream is not None
    for chunk in reply.stream:
        if isinstance(chunk, Pause):
            await asyncio.sleep(chunk.seconds)
        elif isinstance(chunk, Cut):
            raise StreamCut(chunk.reason)
        else:
            yield chunk
