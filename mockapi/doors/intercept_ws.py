"""WebSockets in the in-process mode: the SDK's Realtime and Responses sockets, sent to a loopback server.

The SDK opens its WebSockets with the ``websockets`` package (``websockets.sync.client.connect``, and the
``websockets.asyncio.client.connect`` class its async client subclasses), which no httpx transport sees. While an
interception is active, a WebSocket to a mocked base URL goes to a live server on 127.0.0.1 instead: started on the
first such socket, serving the interception's own engine (its state, journal and faults), stopped with it. A socket
to any other host is refused like an unmatched HTTP request, unless passthrough lets it through.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .intercept import Interceptor

MODULES = ("websockets.sync.client", "websockets.asyncio.client")
_HTTP_SCHEME = {"ws": "http", "wss": "https"}


def patch(module: Any, patch_one: Callable[[Any, str, Callable[..., Any]], None]) -> None:
    """Redirect the connections one of :data:`MODULES` opens (``patch_one(owner, name, replacement)`` records originals)."""
    if module.__name__ == "websockets.sync.client":
        original = module.__dict__["connect"]

        def connect(uri: str, *args: Any, **kwargs: Any) -> Any:
            return original(redirect(uri, kwargs), *args, **kwargs)

        patch_one(module, "connect", connect)
    else:
        original_init = module.connect.__dict__["__init__"]

        def __init__(self: Any, uri: str, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - replaces connect.__init__
            original_init(self, redirect(uri, kwargs), *args, **kwargs)

        patch_one(module.connect, "__init__", __init__)


def redirect(uri: str, options: dict[str, Any]) -> str:
    """Where a WebSocket to ``uri`` really goes: the loopback server for a mocked base URL (its TLS options dropped)."""
    from . import intercept

    interceptor = intercept.active()
    if interceptor is None:
        return uri
    parts = urlsplit(uri)
    url = SimpleNamespace(scheme=_HTTP_SCHEME.get(parts.scheme, parts.scheme), host=parts.hostname or "", port=parts.port,
                          path=parts.path or "/")
    index = interceptor.target(url)
    if index is None:
        if interceptor.lets_through(url):
            return uri
        raise interceptor.refuse(SimpleNamespace(method="GET", url=uri))
    mount = interceptor.base_urls[index].mount
    path = url.path
    if mount is not None and (path == mount[0] or path.startswith(mount[0] + "/")):
        path = mount[1] + path[len(mount[0]):]
    for tls_option in ("ssl", "server_hostname"):  # the loopback server speaks plain ws://
        options.pop(tls_option, None)
    server = loopback(interceptor)
    return f"ws://{server.host}:{server.port}{path}" + (f"?{parts.query}" if parts.query else "")


def loopback(interceptor: "Interceptor") -> Any:
    """The interception's loopback server, started on first use."""
    if interceptor.websocket_server is None:
        from . import intercept
        from .live import LiveServer

        interceptor.websocket_server = LiveServer(interceptor.engine).start()
        intercept.allow_live_server(interceptor.websocket_server.host, interceptor.websocket_server.port)
    return interceptor.websocket_server
