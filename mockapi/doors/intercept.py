"""Route every ``httpx`` / ``httpx2`` request for chosen base URLs into an engine, with no socket.

Why patch the default transports rather than use respx: openai 1.x/2.x send through ``httpx`` and
3.x through ``httpx2``; respx only knows ``httpx`` (it patches ``httpcore``), so a second mocker
for ``httpcore2`` would be needed, and both sit *below* the transport, where a reply must already
be a complete body. Patching ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request`` of both libraries is one mechanism for every SDK
generation: it catches clients built before the fixture started (class attributes, not instances),
proxies and custom ``HTTPTransport(retries=…)`` alike, and hands back the engine's own streaming
response, so a client reads the first SSE chunk before the engine has produced the last. Requests
for other hosts go to the original method (pass-through) or fail loudly.
"""

from __future__ import annotations

import contextlib
import fnmatch
import importlib.abc
import importlib.machinery
import sys
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import urlsplit

from . import intercept_ws

if TYPE_CHECKING:
    from mockapi.core.engine import Engine

LIBRARIES = ("httpx", "httpx2")
_PATCHED_MODULES = (*LIBRARIES, *intercept_ws.MODULES)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnmatchedRequest(RuntimeError):
    """A request to a host that is neither mocked nor allowed through."""


@dataclass(frozen=True)
class BaseURL:
    """A mocked base URL: scheme, host (``*.`` wildcards allowed), port and path prefix."""

    text: str
    scheme: str
    host: str
    port: int
    path: str  # without a trailing slash; "" for a bare host (Azure endpoints)

    @classmethod
    def parse(cls, text: str) -> "BaseURL":
        """Parse ``https://api.openai.com/v1`` or ``https://*.openai.azure.com``."""
        parts = urlsplit(text.strip())
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"mockapi: {text!r} is not an http(s) base URL")
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        return cls(text.strip(), parts.scheme, parts.hostname.lower(), port, parts.path.rstrip("/"))

    def matches(self, url: Any) -> bool:
        """Whether an httpx(2) ``URL`` falls under this base URL."""
        if url.scheme != self.scheme or (url.port or _DEFAULT_PORTS.get(url.scheme)) != self.port:
            return False
        host = url.host.lower()
        if host != self.host and not ("*" in self.host and fnmatch.fnmatchcase(host, self.host)):
            return False
        path = url.path
        return not self.path or path == self.path or path.startswith(self.path + "/")

    @property
    def mount(self) -> tuple[str, str] | None:
        """How the URL path maps onto the engine's: the base path stands for ``/v1`` (None: unchanged)."""
        return None if self.path in ("", "/v1") else (self.path, "/v1")


class Interceptor:
    """While active, serves requests for ``base_urls`` from ``engine``; refuses or passes the rest."""

    def __init__(self, engine: "Engine", base_urls: Iterable[str], passthrough: Iterable[str] = (),
                 honour_pauses: bool = True) -> None:
        self.engine = engine
        self.base_urls = [BaseURL.parse(u) for u in base_urls]
        self.passthrough = [p.strip().lower() for p in passthrough if p.strip()]
        self.honour_pauses = honour_pauses
        self.blocked: list[str] = []  # "METHOD url" of every refused request, for the teardown report
        self._transports: dict[tuple[str, int, bool], Any] = {}
        self.websocket_server: Any = None  # the loopback server of its WebSockets, once one is opened (redirect_websocket)

    def target(self, url: Any) -> int | None:
        """The index of the base URL serving ``url``, or None."""
        for index, base in enumerate(self.base_urls):
            if base.matches(url):
                return index
        return None

    def lets_through(self, url: Any) -> bool:
        """Whether an unmatched request may reach the network."""
        host = url.host.lower()
        netloc = f"{host}:{url.port or _DEFAULT_PORTS.get(url.scheme)}"
        if netloc in _LIVE_NETLOCS:
            return True
        return any(p == "*" or fnmatch.fnmatchcase(host, p) or fnmatch.fnmatchcase(netloc, p) for p in self.passthrough)

    def transport(self, library: str, index: int, is_async: bool) -> Any:
        """The engine transport (built once) for one library, base URL and flavour."""
        key = (library, index, is_async)
        found = self._transports.get(key)
        if found is None:
            from .transport import transports

            cls = transports(library)[1 if is_async else 0]
            found = self._transports[key] = cls(self.engine, honour_pauses=self.honour_pauses,
                                                mount=self.base_urls[index].mount)
        return found

    def refuse(self, request: Any) -> UnmatchedRequest:
        """Record a blocked request and build the error that says how to allow it."""
        where = f"{request.method} {request.url}"
        self.blocked.append(where)
        mocked = ", ".join(b.text for b in self.base_urls)
        return UnmatchedRequest(
            f"mockapi blocked {where}: it is under none of the mocked base URLs ({mocked}). Mock it with "
            "@pytest.mark.mockapi(base_urls=[...]) or the `mockapi_base_urls` ini option, or let it reach the "
            "network with @pytest.mark.mockapi(passthrough=['host']) or `mockapi_passthrough`.")


_active: Interceptor | None = None
_originals: dict[tuple[type, str], Callable[..., Any]] = {}
_lock = threading.Lock()
_LIVE_NETLOCS: set[str] = set()  # live mock servers of this process: always reachable


def allow_live_server(host: str, port: int) -> None:
    """Let requests to a live mock server through while an interception is active."""
    _LIVE_NETLOCS.add(f"{host.lower()}:{port}")


def active() -> Interceptor | None:
    """The interception in force, if any."""
    return _active


def activate(interceptor: Interceptor) -> None:
    """Start serving matching requests from ``interceptor`` (one at a time per process)."""
    global _active
    with _lock:
        if _active is not None:
            raise RuntimeError("mockapi: an in-process interception is already active in this process")
        for name in _PATCHED_MODULES:
            module = sys.modules.get(name)
            if module is not None:
                _patch_module(module)
        # A library nobody has imported yet is patched when it is: importing httpx just to patch it would
        # cost ~50 ms of start-up (its CLI pulls in rich and click) for tests on openai 3.x (httpx2).
        if not all(name in sys.modules for name in _PATCHED_MODULES):
            sys.meta_path.insert(0, _PATCH_ON_IMPORT)
        _active = interceptor


def deactivate() -> None:
    """Stop intercepting and restore the original transport methods."""
    global _active
    with _lock:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(_PATCH_ON_IMPORT)
        for (cls, name), original in _originals.items():
            setattr(cls, name, original)
        _originals.clear()
        if _active is not None and _active.websocket_server is not None:
            _active.websocket_server.stop()
        _active = None


def _patch_module(module: Any) -> None:
    """Patch an httpx library's transports, or a websockets client module's connect (intercept_ws.py)."""
    if module.__name__ in intercept_ws.MODULES:
        intercept_ws.patch(module, _patch, redirect_websocket)
        return
    _patch(module.HTTPTransport, "handle_request", _sync_handler(module.__name__))
    _patch(module.AsyncHTTPTransport, "handle_async_request", _async_handler(module.__name__))


def redirect_websocket(uri: str, options: dict[str, Any]) -> str:
    """Where a WebSocket to ``uri`` really goes: a mocked base URL's to the loopback server (its TLS options dropped)."""
    interceptor = _active
    if interceptor is None:
        return uri
    parts = urlsplit(uri)
    url = SimpleNamespace(scheme={"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme), host=parts.hostname or "",
                          port=parts.port, path=parts.path or "/")
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
    if interceptor.websocket_server is None:  # started on the first socket, stopped with the interception
        from .live import LiveServer

        interceptor.websocket_server = LiveServer(interceptor.engine).start()
        allow_live_server(interceptor.websocket_server.host, interceptor.websocket_server.port)
    server = interceptor.websocket_server
    return f"ws://{server.host}:{server.port}{path}" + (f"?{parts.query}" if parts.query else "")


def _patched(module: Any) -> bool:
    if module.__name__ in intercept_ws.MODULES:
        return any(owner in (module, getattr(module, "connect", None)) for owner, _ in _originals)
    return (module.HTTPTransport, "handle_request") in _originals


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """While an interception is active: patches httpx / httpx2 and websockets' clients right after their first import."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        """Wrap the real loader of a patched module so that it is patched once it has run."""
        if name not in _PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module: Any) -> None:
            original_exec(module)
            with _lock:
                if _active is not None and not _patched(module):
                    _patch_module(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_PATCH_ON_IMPORT = _PatchOnImport()


def _patch(cls: type, name: str, replacement: Callable[..., Any]) -> None:
    original = cls.__dict__[name]
    _originals[(cls, name)] = original
    replacement.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(cls, name, replacement)


def _sync_handler(library: str) -> Callable[..., Any]:
    def handle_request(self: Any, request: Any) -> Any:
        interceptor = _active
        original = handle_request.__wrapped__  # type: ignore[attr-defined]
        if interceptor is not None:
            index = interceptor.target(request.url)
            if index is not None:
                return interceptor.transport(library, index, False).handle_request(request)
            if not interceptor.lets_through(request.url):
                raise interceptor.refuse(request)
        return original(self, request)

    return handle_request


def _async_handler(library: str) -> Callable[..., Any]:
    async def handle_async_request(self: Any, request: Any) -> Any:
        interceptor = _active
        original = handle_async_request.__wrapped__  # type: ignore[attr-defined]
        if interceptor is not None:
            index = interceptor.target(request.url)
            if index is not None:
                return await interceptor.transport(library, index, True).handle_async_request(request)
            if not interceptor.lets_through(request.url):
                raise interceptor.refuse(request)
        return await original(self, request)

    return handle_async_request
