"""``mockapi serve --workers N``: N uvicorn worker processes rebuilt from MOCKAPI_SETTINGS_JSON, sharing state and
rate-limit counters through ``--store redis://…`` (the docker-compose setup, without Docker)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import httpx2
import pytest
from conftest import API_KEY, inprocess_clients
from services import redis_server, wait_until

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.store import MemoryStore
from mockapi.doors.healthcheck import healthy
from mockapi.doors.live import free_port

WORKER_KEY = "sk-test-workers-0001"
FROZEN = 1_750_000_000  # every worker reads the same minute, so the RPM window cannot roll over mid-test


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free loopback port for this module."""
    yield from redis_server(tmp_path_factory)


def _children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def serve(tmp_path: Path):  # noqa: ANN201 - a factory of running servers
    """Start ``mockapi serve`` with extra arguments; every server started is stopped after the test."""
    procs: list[subprocess.Popen] = []

    def start(*args: str, config: str | None = None) -> tuple[int, subprocess.Popen]:
        port = free_port()
        command = [sys.executable, "-m", "mockapi", "serve", "--port", str(port), *args]
        if config is not None:
            (tmp_path / "config.yaml").write_text(config)
            command += ["--config", str(tmp_path / "config.yaml")]
        log = tmp_path / f"serve-{port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKAPI_")}
        proc = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=tmp_path)
        procs.append(proc)
        wait_until(lambda: healthy(port, timeout=1), "mockapi serve", proc=proc, log=log)
        return port, proc

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


def _chat(port: int, key: str = API_KEY, **extra) -> httpx2.Response:  # noqa: ANN003
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Which worker am I talking to?"}], **extra}
    with httpx2.Client() as fresh:  # a new connection each time, so any worker may accept it
        return fresh.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"},
                          timeout=30)


def test_workers_with_the_memory_store_are_refused(tmp_path: Path):
    """Each worker would keep its own objects and counters: refused with one clear line (exit 2), never silently split."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKAPI_")}
    done = subprocess.run([sys.executable, "-m", "mockapi", "serve", "--workers", "2", "--port", str(free_port())],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--workers 2 needs a shared store" in done.stderr and "--store redis://" in done.stderr
    assert "Traceback" not in done.stderr


def test_workers_rebuild_the_settings_they_were_given(serve, redis_url):
    port, proc = serve("--workers", "2", "--seed", "7", "--store", redis_url,
                       config="azure_deployments: {prod-chat: gpt-4o-mini}\n")
    assert len(_children(proc.pid)) >= 2, "uvicorn should run two worker processes"
    answers = {_chat(port).json()["choices"][0]["message"]["content"] for _ in range(6)}
    for _ in range(4):  # the config file's extras reach every worker too
        with httpx2.Client() as fresh:
            azure = fresh.post(f"http://127.0.0.1:{port}/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21",
                               json={"messages": [{"role": "user", "content": "Which worker am I talking to?"}]},
                               headers={"api-key": "0123456789abcdef0123456789abcdef"}, timeout=30)
        assert azure.status_code == 200 and azure.json()["model"] == "gpt-4o-mini"
        answers.add(azure.json()["choices"][0]["message"]["content"])
    seeded = build_engine(Settings(seed=7), store=MemoryStore(), clock=Clock(frozen_at=FROZEN))
    client, _ = inprocess_clients(seeded)
    expected = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Which worker am I talking to?"}])
    assert answers == {expected.choices[0].message.content}, "every worker answers with seed 7"


def test_two_workers_share_objects_and_rate_limits_through_redis(serve, redis_url):
    config = f"frozen_time: {FROZEN}\nrate_limits:\n  keys:\n    {WORKER_KEY}: {{rpm: 10}}\n"
    port, proc = serve("--workers", "2", "--store", redis_url, config=config)
    assert len(_children(proc.pid)) >= 2
    created = _chat(port, store=True, metadata={"made_by": "one worker"})
    assert created.status_code == 200
    completion_id = created.json()["id"]

    def fetch(_: int) -> int:
        with httpx2.Client() as fresh:
            return fresh.get(f"http://127.0.0.1:{port}/v1/chat/completions/{completion_id}",
                             headers={"authorization": f"Bearer {API_KEY}"}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(fetch, range(16))) == {200}, "every worker sees the stored completion"
    with ThreadPoolExecutor(max_workers=25) as pool:  # 50 at once against 10 RPM: check and charge are one step
        statuses = list(pool.map(lambda _: _chat(port, key=WORKER_KEY).status_code, range(50)))
    assert statuses.count(200) == 10 and statuses.count(429) == 40, statuses
