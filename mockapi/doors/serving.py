"""``mockapi serve`` underneath: check everything, bind the socket, then serve; shut down within seconds.

Start-up problems (a bad config or fixture file, a missing extra, a port in use) become a
:class:`StartupError` with one line of text, found before anything is printed as serving. The
banner prints once uvicorn listens. SIGTERM and SIGINT close open streams (a ``stall`` fault
too) after :data:`GRACE_SECONDS`, and the process then exits normally so that temporary files
(uploaded bytes under a temp dir, removed by finalizers at exit) do not outlive it.
"""

from __future__ import annotations

import gc
import socket
import sys
from typing import Any, Callable

import uvicorn

from mockapi.core.config import ConfigError, Settings

GRACE_SECONDS = 2.0  # how long open requests and streams may finish after SIGTERM/SIGINT


class StartupError(Exception):
    """Serving cannot start; the message is the one line the user sees."""


def build_app(settings: Settings) -> Any:
    """The ASGI app for ``settings``, or a :class:`StartupError` naming what is wrong."""
    try:
        from .app import create_app

        return create_app(settings)
    except ConfigError as exc:
        raise StartupError(str(exc)) from None
    except ModuleNotFoundError as exc:
        if exc.name == "redis" or settings.store != "memory" and "redis" in str(exc):
            raise StartupError(f"--store {settings.store} needs the redis client: pip install 'mockapi[redis]'") from None
        raise StartupError(f"a module is missing: {exc}") from None
    except ValueError as exc:  # open_store on a URL redis-py cannot read
        raise StartupError(f"store {settings.store!r}: {exc}") from None


# Collect the young generation after this many new objects instead of CPython's 700 (a chat request makes a
# few hundred): a tenth of the collector's time per request in the benchmark, and no cycles live long.
YOUNG_GENERATION_THRESHOLD = 10_000


def settle_heap() -> None:
    """Take the objects built at start-up (the contract, catalogue, validators) out of the cyclic collector.

    A full collection walks every tracked object, and the contract alone makes a full collection take
    15-30 ms: paid in the middle of a request, that pause set the benchmark's p99. Frozen objects are
    never walked again (``gc.freeze``, meant for long-lived servers); what requests create is collected as usual.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` (shared with worker processes), or a :class:`StartupError`."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def banner(settings: Settings, sock: socket.socket, *, tls: bool = False) -> str:
    """The line printed once the server listens (with the port actually bound, for ``--port 0``)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return (f"mockapi serving http{'s' if tls else ''}://{shown}:{port}/v1 (seed {settings.seed}, validation {settings.validation}, "
            f"store {settings.store.split('@')[-1] if settings.store != 'memory' else 'memory'})")


class MockServer(uvicorn.Server):
    """uvicorn's server, announcing itself once it listens and exiting normally after a signal."""

    on_started: Callable[[], None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then announce."""
        await super().startup(sockets=sockets)
        if self.started and self.on_started is not None:
            self.on_started()

    def handle_exit(self, sig: int, frame: Any) -> None:
        """Begin the graceful stop; afterwards exit normally instead of re-raising the signal."""
        super().handle_exit(sig, frame)
        # uvicorn re-raises the signal after shutdown, which kills the process before atexit and
        # finalizers run; a graceful stop is a normal exit, so temp files get removed.
        captured = getattr(self, "_captured_signals", None)
        if isinstance(captured, list):
            captured.clear()


def serve(settings: Settings, app: Any, sock: socket.socket, uvicorn_options: dict[str, Any]) -> None:
    """Serve ``app`` (or, with several workers, the worker app) on the bound ``sock`` until a signal."""
    options = {**uvicorn_options, "timeout_graceful_shutdown": GRACE_SECONDS}
    line = banner(settings, sock, tls="ssl_certfile" in options)

    def announce() -> None:
        print(line, file=sys.stderr, flush=True)

    if settings.workers > 1:
        from uvicorn.supervisors import Multiprocess

        config = uvicorn.Config("mockapi.doors.worker:app", workers=settings.workers, **options)
        announce()  # the parent bound the socket; each worker listens on it
        Multiprocess(config, sockets=[sock]).run()  # each worker builds its own uvicorn server
        return
    config = uvicorn.Config(app, **options)
    settle_heap()
    server = MockServer(config)
    server.on_started = announce
    server.run(sockets=[sock])
