"""A real uvicorn server on a free loopback port, in a background thread (tests and the plugin)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from mockapi.core.engine import Engine


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody is listening on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class LiveServer:
    """Serve ``engine`` over HTTP on 127.0.0.1 until :meth:`stop`."""

    def __init__(self, engine: Engine, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.engine = engine
        self.host = host
        self.port = port or free_port(host)
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of this server (ends in ``/v1``)."""
        return f"http://{self.host}:{self.port}/v1"

    def start(self, timeout: float = 10.0) -> "LiveServer":
        """Start serving; return once the socket accepts connections."""
        import uvicorn

        from .app import create_app
        from .protocols import uvicorn_options

        config = uvicorn.Config(create_app(engine=self.engine), host=self.host, port=self.port, log_level="warning",
                                lifespan="on", loop="asyncio", **uvicorn_options(self.engine.limits))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="mockapi-live", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the mockapi live server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
