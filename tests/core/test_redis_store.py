"""The Redis store (issue 5): the Store interface on a real redis-server, shared by engines and worker processes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import httpx
import openai
import pytest
from conftest import API_KEY, FROZEN_AT, inprocess_clients
from services import wait_until
from store_fixtures import redis_url, store  # noqa: F401 - fixtures

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine
from mockapi.core.store import open_store
from mockapi.doors.live import LiveServer, free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
redis = pytest.importorskip("redis", reason="the redis client package is not installed (pip install '.[redis]')")


def _engine(url: str, **settings) -> Engine:  # noqa: ANN003
    return build_engine(Settings(store=url, **settings), clock=Clock(frozen_at=FROZEN_AT))


@pytest.fixture
def shared(redis_url: str) -> Iterator[tuple[Engine, Engine]]:
    """Two engines on one Redis, state cleared first."""
    first, second = _engine(redis_url), _engine(redis_url)
    first.store.reset()
    yield first, second
    first.store.close()
    second.store.close()


# -- the Store interface, for both implementations ----------------------------------------
def test_store_interface(store):
    assert store.get("t1", "thing", "a") is None and store.list("t1", "thing") == []
    for name in ("a", "b", "c"):
        store.put("t1", "thing", name, {"id": name, "v": 1})
    store.put("t1", "thing", "a", {"id": "a", "v": 2})  # replacing keeps the list position
    assert [o["id"] for o in store.list("t1", "thing")] == ["a", "b", "c"]
    assert store.get("t1", "thing", "a") == {"id": "a", "v": 2}
    assert store.delete("t1", "thing", "b") is True and store.delete("t1", "thing", "b") is False
    assert [o["id"] for o in store.list("t1", "thing")] == ["a", "c"]
    assert store.get("t2", "thing", "a") is None
    assert [store.incr("t1:counter", 2, 60) for _ in range(3)] == [2, 4, 6]
    store.put("t2", "thing", "z", {"id": "z"})
    store.reset("t1")
    assert store.list("t1", "thing") == [] and store.incr("t1:counter", 1, 60) == 1
    assert store.get("t2", "thing", "z") == {"id": "z"}
    store.reset()
    assert store.get("t2", "thing", "z") is None


def test_redis_counters_expire_and_tenant_names_are_not_patterns(redis_url):
    made = open_store(redis_url)
    made.reset()
    made.incr("k", 1, 30)
    assert 0 < made.client.pttl("mockapi:c:k") <= 30_000
    made.put("key:a*", "thing", "x", {"id": "x"})
    made.put("key:ab", "thing", "y", {"id": "y"})
    made.reset("key:a*")  # a tenant name with a glob character drops only that tenant
    assert made.get("key:ab", "thing", "y") == {"id": "y"} and made.get("key:a*", "thing", "x") is None
    made.close()


# -- two engines (two servers) sharing one Redis ---------------------------------------------
def test_object_created_through_a_is_retrieved_through_b(shared):
    first, second = shared
    with LiveServer(first) as a, LiveServer(second) as b:
        ca = openai.OpenAI(api_key=API_KEY, base_url=a.base_url, max_retries=0)
        cb = openai.OpenAI(api_key=API_KEY, base_url=b.base_url, max_retries=0)
        assistant = ca.beta.assistants.create(model="gpt-4o", name="shared")
        assert cb.beta.assistants.retrieve(assistant.id) == assistant
        data = b"0123456789" * 100_000  # 1 MB of content, chunked in Redis
        file_id = ca.files.create(file=("big.txt", io.BytesIO(data)), purpose="assistants").id
        assert cb.files.content(file_id).read() == data
        thread = cb.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
        run = ca.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id,
                                          extra_headers={"x-mockapi-progress": "polls:2"})
        assert cb.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "in_progress"
        assert ca.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "completed"  # the second poll
        assert [m.role for m in cb.beta.threads.messages.list(thread.id)] == ["assistant", "user"]
        with pytest.raises(openai.BadRequestError):  # the run lock and active-run check are shared too
            pending = cb.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id,
                                                  extra_headers={"x-mockapi-progress": "polls:9"})
            ca.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        assert pending.status == "queued"
        ca.close()
        cb.close()


def test_full_assistant_flow_on_redis(shared):
    engine, _ = shared
    client, _ = inprocess_clients(engine, max_retries=0)
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[tool])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "please lookup the answer"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    call_id = run.required_action.submit_tool_outputs.tool_calls[0].id
    done = client.beta.threads.runs.submit_tool_outputs_and_poll(run_id=run.id, thread_id=thread.id,
                                                                 tool_outputs=[{"tool_call_id": call_id, "output": "42"}])
    assert done.status == "completed"
    client.beta.threads.messages.create(thread.id, role="user", content="thanks, now say bye")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        assert stream.get_final_run().status == "completed"
    assert len(client.beta.threads.messages.list(thread.id).data) == 4
    other = client.with_options(api_key="sk-other-tenant-0000000000")
    with pytest.raises(openai.NotFoundError):
        other.beta.threads.retrieve(thread.id)


def test_fifty_concurrent_run_creations_on_redis(shared):
    first, second = shared
    clients = [inprocess_clients(e, max_retries=0)[0] for e in (first, second)]
    assistant = clients[0].beta.assistants.create(model="gpt-4o")
    threads = [clients[0].beta.threads.create(messages=[{"role": "user", "content": f"q{i}"}]) for i in range(50)]

    def create(i: int) -> str:
        return clients[i % 2].beta.threads.runs.create(thread_id=threads[i].id, assistant_id=assistant.id).id

    with ThreadPoolExecutor(max_workers=10) as pool:
        ids = list(pool.map(create, range(50)))
    assert len(set(ids)) == 50
    assert all([r.id for r in clients[1].beta.threads.runs.list(t.id)] == [i] for t, i in zip(threads, ids))
    single = clients[0].beta.threads.create(messages=[{"role": "user", "content": "one at a time"}])

    def contend(i: int) -> str:
        try:
            return clients[i % 2].beta.threads.runs.create(thread_id=single.id, assistant_id=assistant.id,
                                                           extra_headers={"x-mockapi-progress": "polls:99"}).id
        except openai.BadRequestError:
            return "refused"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(contend, range(50)))
    assert len([o for o in outcomes if o != "refused"]) == 1


# -- two real worker processes ----------------------------------------------------------------
def test_two_mockapi_processes_share_state(redis_url, tmp_path):
    open_store(redis_url).reset()
    ports = [free_port(), free_port()]
    env = {**os.environ, "MOCKAPI_CONFIG": ""}
    procs = [subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(p), "--store", redis_url],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"{p}.log", "wb")) for p in ports]
    try:
        for port, proc in zip(ports, procs):
            def healthy(port: int = port, proc: subprocess.Popen = proc) -> bool:
                if proc.poll() is not None:
                    raise RuntimeError((tmp_path / f"{port}.log").read_text())
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_until(healthy, f"mockapi on port {port}", timeout=30)
        ca, cb = (openai.OpenAI(api_key=API_KEY, base_url=f"http://127.0.0.1:{p}/v1", max_retries=0) for p in ports)
        thread = ca.beta.threads.create(messages=[{"role": "user", "content": "from worker A"}])
        assert cb.beta.threads.retrieve(thread.id).id == thread.id
        message = cb.beta.threads.messages.list(thread.id).data[0]
        assert message.content[0].text.value == "from worker A"
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


# -- every SDK behaviour test of the platform, again on the Redis store --------------------------
def _platform_cases() -> list:
    import inspect

    import test_assistants
    import test_files
    import test_vector_stores

    return [pytest.param(fn, given, id=f"{fn.__module__}.{fn.__name__}{suffix}")
            for module in (test_files, test_vector_stores, test_assistants) for name, fn in vars(module).items()
            if name.startswith("test_") and "mock" in inspect.signature(fn).parameters
            for given, suffix in _parametrized(fn)]


def _parametrized(fn) -> list[tuple[dict, str]]:
    """The arguments each case of a test's ``@pytest.mark.parametrize`` marks gives it (one empty set if none)."""
    cases: list[tuple[dict, str]] = [({}, "")]
    for mark in getattr(fn, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else list(mark.args[0])
        rows = [row.values if hasattr(row, "values") else (row,) if len(names) == 1 else row for row in mark.args[1]]
        cases = [({**given, **dict(zip(names, row))}, f"{suffix}[{i}]") for given, suffix in cases for i, row in enumerate(rows)]
    return cases


@pytest.mark.parametrize(("case", "given"), _platform_cases())
def test_platform_behaviour_on_redis(case, given, redis_url, tmp_path):
    import asyncio
    import inspect

    from conftest import Mock

    engine = _engine(redis_url)
    engine.store.reset()
    client, aclient = inprocess_clients(engine, max_retries=0)
    mock = Mock("redis", engine, "https://api.openai.com/v1", client, aclient)
    kwargs = {"mock": mock, "tmp_path": tmp_path, **given}
    result = case(**{name: kwargs[name] for name in inspect.signature(case).parameters})
    if inspect.iscoroutine(result):
        asyncio.run(result)
    engine.store.close()


def test_store_setting_is_checked():
    from mockapi.core.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="redis://"):
        load_settings(env={}, store="postgres://nope")
    assert load_settings(env={"MOCKAPI_STORE": "redis://127.0.0.1:1/0"}).store == "redis://127.0.0.1:1/0"


def test_identical_requests_through_two_engines_on_one_redis_are_separate_objects(shared):
    first, second = (inprocess_clients(engine, max_retries=0)[0] for engine in shared)
    ask = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Same question"}], "store": True}
    made = [client.chat.completions.create(**ask) for client in (first, second, first)]
    assert len({c.id for c in made}) == 3  # the occurrence counter is shared through Redis
    assert sorted(c.id for c in second.chat.completions.list(limit=100).data) == sorted(c.id for c in made)
    # Engines on a shared store tell their request ids apart by process; within one process they share it.
    assert all(engine.worker.startswith("pid:") for engine in shared)
