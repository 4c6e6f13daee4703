"""The in-process door: httpx / httpx2 transports that hand requests straight to the engine.

No socket is opened. Streaming replies are passed through chunk by chunk, so a client reads
the first chunk before the engine has produced the last. Both ``httpx`` (openai 1.x/2.x) and
``httpx2`` (openai 3.x) share this code: the transport class is built per module.
"""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any, AsyncIterator, Iterator
from urllib.parse import unquote

from mockapi.core.engine import Engine, Request
from mockapi.core.results import Cut, Pause, Reply


def _engine_request(request: Any, body: bytes, mount: tuple[str, str] | None = None) -> Request:
    url = request.url
    raw_path = url.raw_path.decode("ascii") if isinstance(url.raw_path, bytes) else str(url.raw_path)
    path, _, query = raw_path.partition("?")
    if "%" in path:
        path = unquote(path)
    if mount and path.startswith(mount[0]):  # a base URL like https://proxy/llm/v1 serves the engine's /v1
        path = mount[1] + path[len(mount[0]):]
    return Request(method=request.method, path=path, headers=_headers(request.headers), body=body, query=query)


def _headers(headers: Any) -> dict[str, str]:
    """Lower-case names, repeated headers joined with ", ", as the HTTP door sees them: what httpx's ``items()``
    gives, decoding with the headers' encoding once rather than twice per header."""
    encoding = headers.encoding
    found: dict[str, str] = {}
    for raw_key, raw_value in headers.raw:
        key, value = raw_key.lower().decode(encoding), raw_value.decode(encoding)
        found[key] = f"{found[key]}, {value}" if key in found else value
    return found


def _items(reply: Reply, cut: Any) -> Iterator[bytes | Pause]:
    """The reply's body chunks and pauses; a Cut raises ``cut()``, as a dropped socket would mid-body."""
    if reply.stream is None:
        if reply.body:
            yield reply.body
        return
    for chunk in reply.stream:
        if isinstance(chunk, Cut):
            raise cut()
        yield chunk


def _sync_chunks(reply: Reply, sleep: bool, cut: Any = None) -> Iterator[bytes]:
    for item in _items(reply, cut):
        if isinstance(item, Pause):
            if sleep:
                time.sleep(item.seconds)
        else:
            yield item


def make_transports(httpx_module: ModuleType) -> tuple[type, type]:
    """Build (sync, async) transport classes for an httpx-like module (``httpx`` or ``httpx2``)."""

    def cut() -> Exception:
        return httpx_module.RemoteProtocolError("peer closed connection without sending complete message body")

    def connection_fault(reply: Reply, request: Any) -> None:
        action = reply.meta.get("connection")
        if action == "reset":
            raise httpx_module.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if action == "stall":
            raise httpx_module.ReadTimeout("The mock stalled until the client timed out.", request=request)

    class _SyncStream(httpx_module.SyncByteStream):  # type: ignore[name-defined,misc]
        def __init__(self, reply: Reply, sleep: bool) -> None:
            self._iter = _sync_chunks(reply, sleep, cut)

        def __iter__(self) -> Iterator[bytes]:
            yield from self._iter

        def close(self) -> None:
            close = getattr(self._iter, "close", None)
            if close:
                close()

    class _AsyncStream(httpx_module.AsyncByteStream):  # type: ignore[name-defined,misc]
        def __init__(self, reply: Reply, sleep: bool) -> None:
            self._reply = reply
            self._sleep = sleep

        async def __aiter__(self) -> AsyncIterator[bytes]:
            for item in _items(self._reply, cut):
                if isinstance(item, Pause):
                    if self._sleep:
                        await asyncio.sleep(item.seconds)
                else:
                    yield item
                    await asyncio.sleep(0)  # let the reader run between chunks

        async def aclose(self) -> None:
            close = getattr(self._reply.stream, "close", None)
            if close:
                close()

    class EngineTransport(httpx_module.BaseTransport):  # type: ignore[name-defined,misc]
        """A sync transport served by an engine."""

        def __init__(self, engine: Engine, *, honour_pauses: bool = True, mount: tuple[str, str] | None = None) -> None:
            self.engine = engine
            self.honour_pauses = honour_pauses
            self.mount = mount  # (URL path prefix, engine path prefix) to swap, e.g. ("/llm/v1", "/v1")

        def handle_request(self, request: Any) -> Any:
            body = request.read()
            reply = self.engine.handle(_engine_request(request, body, self.mount))
            connection_fault(reply, request)
            if reply.stream is None:  # a whole body: handed over as read, as the HTTP door sends it in one piece
                return httpx_module.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
            return httpx_module.Response(reply.status, headers=reply.headers, stream=_SyncStream(reply, self.honour_pauses),
                                         request=request)

    class AsyncEngineTransport(httpx_module.AsyncBaseTransport):  # type: ignore[name-defined,misc]
        """An async transport served by an engine."""

        def __init__(self, engine: Engine, *, honour_pauses: bool = True, mount: tuple[str, str] | None = None) -> None:
            self.engine = engine
            self.honour_pauses = honour_pauses
            self.mount = mount  # (URL path prefix, engine path prefix) to swap, e.g. ("/llm/v1", "/v1")

        async def handle_async_request(self, request: Any) -> Any:
            body = await request.aread()
            reply = self.engine.handle(_engine_request(request, body, self.mount))
            connection_fault(reply, request)
            if reply.stream is None:
                return httpx_module.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
            return httpx_module.Response(reply.status, headers=reply.headers, stream=_AsyncStream(reply, self.honour_pauses),
                                         request=request)

    return EngineTransport, AsyncEngineTransport


_CACHE: dict[str, tuple[type, type]] = {}


def transports(module_name: str = "httpx2") -> tuple[type, type]:
    """The (sync, async) engine transport classes for ``httpx`` or ``httpx2``."""
    found = _CACHE.get(module_name)
    if found is None:
        import importlib

        found = _CACHE[module_name] = make_transports(importlib.import_module(module_name))
    return found
