"""Redis faults (issue 14): with Redis killed or paused (SIGSTOP) a request gets an OpenAI-shaped 503 within the
store's short timeout, ``/health`` turns red, the event loop keeps answering, and recovery needs nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import httpx2
import pytest
from conftest import API_KEY, FROZEN_AT
from services import wait_until

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Request
from mockapi.doors.healthcheck import healthy
from mockapi.doors.live import LiveServer, free_port

redis = pytest.importorskip("redis", reason="the redis client package is not installed (pip install '.[redis]')")
BUDGET = 4.0  # seconds: the 1 s store timeout plus a loaded CI machine's slack; a blocked request would take far longer


class RedisProcess:
    """A private redis-server this test may kill, restart, pause and resume."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = self.workdir / "redis.log"
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.workdir)],
                                     stdout=log.open("ab"), stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)

        def ping() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(ping, "redis-server", proc=self.proc, log=log)
        client.close()

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def redis_proc(tmp_path: Path) -> Iterator[RedisProcess]:
    made = RedisProcess(tmp_path)
    made.start()
    yield made
    made.stop()


@pytest.fixture
def served(redis_proc: RedisProcess) -> Iterator[LiveServer]:
    engine = build_engine(Settings(store=redis_proc.url), clock=Clock(frozen_at=FROZEN_AT))
    engine.store.reset()
    with LiveServer(engine) as server:
        yield server
    engine.store.close()


def _chat(server: LiveServer) -> httpx2.Response:
    with httpx2.Client(timeout=30) as client:
        return client.post(f"{server.base_url}/chat/completions", headers={"authorization": f"Bearer {API_KEY}"},
                           json={"model": "gpt-4o-mini", "store": True, "messages": [{"role": "user", "content": "hi"}]})


def _timed(call):  # noqa: ANN001, ANN202
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _assert_503(reply: httpx2.Response, took: float) -> None:
    assert reply.status_code == 503, reply.text[:300]
    error = reply.json()["error"]
    assert error["type"] == "server_error" and error["code"] == "service_unavailable" and "Redis" in error["message"]
    assert took < BUDGET, f"the 503 took {took:.1f}s"


def _health(server: LiveServer) -> int:
    with httpx2.Client(timeout=30) as client:
        return client.get(f"http://127.0.0.1:{server.port}/health").status_code


def test_redis_killed_gives_503_and_red_health_then_recovers(served, redis_proc):
    assert _chat(served).status_code == 200 and _health(served) == 200
    redis_proc.kill()
    _assert_503(*_timed(lambda: _chat(served)))
    status, took = _timed(lambda: _health(served))
    assert status == 503 and took < BUDGET
    assert not healthy(served.port), "Docker's HEALTHCHECK must fail too"
    redis_proc.start()  # same port, empty: redis-py reconnects on its own
    wait_until(lambda: _health(served) == 200, "recovery of /health", timeout=30)
    wait_until(lambda: _chat(served).status_code == 200, "recovery of the API", timeout=30)


def test_redis_paused_gives_503_without_blocking_the_event_loop(served, redis_proc, monkeypatch):
    assert _chat(served).status_code == 200
    # No fail-fast window: each request waits out the full timeout, so five on the event loop would take 5 s in a row.
    monkeypatch.setattr("mockapi.core.redis_store.FAIL_FAST_SECONDS", 0.0)
    redis_proc.signal(signal.SIGSTOP)  # hung: connections are accepted, nothing is answered
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=6) as pool:
            hung = [pool.submit(_timed, lambda: _chat(served)) for _ in range(5)]
            # While five requests wait on Redis, the loop still answers /health, itself within the timeout.
            status, took = _timed(lambda: _health(served))
            assert status == 503 and took < BUDGET
            for future in hung:
                _assert_503(*future.result())
        assert time.monotonic() - started < BUDGET, "the hung requests waited side by side, not one after another"
    finally:
        redis_proc.signal(signal.SIGCONT)
    wait_until(lambda: _health(served) == 200, "recovery of /health", timeout=30)
    wait_until(lambda: _chat(served).status_code == 200, "recovery of the API", timeout=30)


def test_in_process_engine_answers_503_in_the_openai_shape(redis_proc):
    engine = build_engine(Settings(store=redis_proc.url), clock=Clock(frozen_at=FROZEN_AT))
    request = Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}", "content-type": "application/json"},
                      b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}')
    assert engine.handle(request).status == 200
    redis_proc.kill()
    reply, took = _timed(lambda: engine.handle(request))
    assert reply.status == 503 and took < BUDGET
    assert reply.header("content-type") == "application/json" and b'"service_unavailable"' in reply.body
    assert engine.store.healthy() is False
    redis_proc.start()
    wait_until(engine.store.healthy, "the store answering again", timeout=30)
    assert engine.handle(request).status == 200
    engine.store.close()
