"""Real services the tests start themselves (redis-server, a uvicorn server in a thread), and waiting for them to be ready."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from mockapi.doors.live import free_port


def wait_until(ready: Callable[[], bool], what: str, *, proc: subprocess.Popen | None = None, log: Path | None = None,
               timeout: float = 60.0) -> None:
    """Poll ``ready`` until it is true (readiness, not timing); fail at once if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what} exited: {log.read_text(errors='replace') if log else proc.returncode}")
        assert time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.02)


def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free loopback port, as a ``redis://`` URL (skips when not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/ensure-system-deps.sh installs Debian's redis-server)")
    redis = pytest.importorskip("redis", reason="the redis client package is not installed (pip install '.[redis]')")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    log = workdir / "redis.log"
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port)

    def ping() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        wait_until(ping, "redis-server", proc=proc, log=log)
        client.flushdb()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def uvicorn_in_thread(app: Any, port: int, **config: Any) -> Iterator[Any]:
    """``app`` served by uvicorn on ``127.0.0.1:port`` in a daemon thread (``config``: more ``uvicorn.Config``
    settings), started before the block and stopped after it."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, "the server")
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=10)
