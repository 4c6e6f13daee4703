"""The Redis store's configuration cache (issue 15): fewer round trips, and every worker sees another's write at once.

Two engines built on one redis-server stand for two workers; each has its own RedisStore, so its own cache.
"""

from __future__ import annotations

import threading
from typing import Iterator

import openai
import pytest
from conftest import API_KEY, FROZEN_AT, inprocess_clients
from store_fixtures import redis_url  # noqa: F401 - fixture

from mockapi.assembly import build_engine
from mockapi.core import redis_cache
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine
from mockapi.core.redis_store import RedisStore
from mockapi.traffic.client import Client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
redis = pytest.importorskip("redis", reason="the redis client package is not installed (pip install '.[redis]')")
ADMIN_KEY = "sk-admin-0123456789abcdef"
USER = [{"role": "user", "content": "hello"}]


@pytest.fixture
def workers(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, Engine]]:
    """Two engines (two workers) on one Redis, state cleared first; only a request's start makes a cache check again."""
    monkeypatch.setattr(redis_cache, "MAX_AGE", 3600.0)  # what these tests see, they see through Store.refresh
    first, second = (build_engine(Settings(store=redis_url), clock=Clock(frozen_at=FROZEN_AT)) for _ in range(2))
    first.store.reset()
    yield first, second
    first.store.close()
    second.store.close()


@pytest.fixture
def stores(redis_url: str) -> Iterator[tuple[RedisStore, RedisStore]]:
    """Two bare stores on one Redis, state cleared first."""
    first, second = RedisStore(redis_url), RedisStore(redis_url)
    first.reset()
    yield first, second
    first.close()
    second.close()


def _client(engine: Engine) -> openai.OpenAI:
    return inprocess_clients(engine, max_retries=0)[0]


def _chat(client: openai.OpenAI) -> str:
    return client.chat.completions.create(model="gpt-4o-mini", messages=USER).id


# -- a write through one worker, the next request on the other -----------------------------------
def test_a_fault_rule_added_on_one_worker_hits_the_next_request_on_the_other(workers):
    first, second = workers
    client = _client(second)
    _chat(client)  # the other worker has read (and cached) "no fault rules"
    rule = Client(engine=first).add_fault("418", path="/v1/chat/completions", times=1)
    with pytest.raises(openai.APIStatusError) as info:
        _chat(client)
    assert info.value.status_code == 418
    assert [r["hits"] for r in Client(engine=second).faults() if r["id"] == rule["id"]] == [1]
    _chat(client)  # times=1: spent
    Client(engine=first).clear_faults()
    assert Client(engine=second).faults() == []


def test_a_limits_override_set_on_one_worker_applies_on_the_other(workers):
    first, second = workers
    client = _client(second)
    _chat(client)  # the first request writes (its organization, key, usage group): this worker's cache starts over
    _chat(client)  # two requests this minute, and "no override" cached
    Client(engine=first).set_limits(API_KEY, rpm=1)
    with pytest.raises(openai.RateLimitError):
        _chat(client)
    assert [o["rpm"] for o in Client(engine=second).request("GET", "limits")["data"]] == [1]


def test_a_webhook_target_set_on_one_worker_is_read_on_the_other(workers):
    first, second = workers
    assert Client(engine=second).request("GET", "webhooks")["url"] is None
    Client(engine=first).set_webhooks("https://hooks.example.com/in", secret="whsec_c2VjcmV0")
    assert Client(engine=second).request("GET", "webhooks")["url"] == "https://hooks.example.com/in"


def test_a_key_revoked_on_one_worker_is_refused_by_the_next_request_on_the_other(workers):
    first, second = workers
    client = _client(second)
    _chat(client)  # the key is seen in traffic (indexed, listed in the default project)
    _chat(client)  # and cached as good (the first request's writes started this worker's cache over)
    admin = _client(first).with_options(admin_api_key=ADMIN_KEY)
    project = admin.admin.organization.projects.list().data[0].id
    keys = [k.id for k in admin.admin.organization.projects.api_keys.list(project)]
    assert len(keys) == 1
    admin.admin.organization.projects.api_keys.delete(keys[0], project_id=project)
    with pytest.raises(openai.AuthenticationError) as info:
        _chat(client)
    assert info.value.status_code == 401 and info.value.body["code"] == "invalid_api_key"


def test_a_tenant_reset_on_one_worker_is_seen_by_the_other(workers):
    first, second = workers
    client = _client(second)
    _chat(client)
    _chat(client)
    Client(engine=first).set_limits(API_KEY, rpm=1)
    with pytest.raises(openai.RateLimitError):
        _chat(client)
    Client(engine=first).reset()  # drops the override and the counters; the other worker's cache with them
    _chat(client)


# -- the cache itself ------------------------------------------------------------------------
def test_a_chat_makes_at_most_five_round_trips(workers, monkeypatch):
    _, second = workers
    client = _client(second)
    for _ in range(3):
        _chat(client)  # warm: the key, project and usage group exist, the scripts are loaded
    sent = []
    real = redis.connection.Connection.send_packed_command

    def counted(self, command, check_health=True):  # noqa: ANN001, ANN202
        sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
    per_request = []
    for _ in range(5):
        before = len(sent)
        _chat(client)
        per_request.append(len(sent) - before)
    # the version check, the occurrence counter, the rate-limit check-and-charge and its counters, the usage
    # counters (14 without the cache: 7 reads of configuration and 2 SCRIPT EXISTS of pipelined scripts more)
    assert max(per_request) <= 5, per_request


def test_a_read_racing_a_write_of_this_process_is_not_kept(stores, monkeypatch):
    first, _ = stores
    first.put("t", "limits", "x", {"id": "x", "rpm": 1})
    first.refresh()
    real = first.client.hget
    raced = []

    def hget_then_write(key, field):  # noqa: ANN001, ANN202
        old = real(key, field)
        if not raced:  # another thread writes after this read got the old value, before it stores it
            raced.append(True)
            first.put("t", "limits", "x", {"id": "x", "rpm": 2})
        return old

    monkeypatch.setattr(first.client, "hget", hget_then_write)
    assert first.get("t", "limits", "x")["rpm"] == 1  # the read that began before the write answers what it read
    assert first.get("t", "limits", "x")["rpm"] == 2  # but did not keep it


def test_a_write_by_another_worker_is_seen_after_refresh_and_by_reads_older_than_max_age(stores):
    first, second = stores
    first.put("t", "fault_rule", "r1", {"id": "r1"})
    second.refresh()
    assert [r["id"] for r in second.list("t", "fault_rule")] == ["r1"]
    first.put("t", "fault_rule", "r2", {"id": "r2"})
    first.delete("t", "fault_rule", "r1")
    second.refresh()  # a request starts
    assert [r["id"] for r in second.list("t", "fault_rule")] == ["r2"]
    first.put("t", "fault_rule", "r3", {"id": "r3"})
    second._cache._checked_at -= 2 * redis_cache.MAX_AGE  # no request: the last check grows old
    assert [r["id"] for r in second.list("t", "fault_rule")] == ["r2", "r3"]


def test_a_tenant_reset_and_a_flushed_redis_clear_other_workers_caches(stores):
    first, second = stores
    first.put("org-a", "admin.project", "p", {"id": "p"})
    first.put("org-b", "admin.project", "p", {"id": "p"})
    second.refresh()
    assert second.get("org-a", "admin.project", "p") == second.get("org-b", "admin.project", "p") == {"id": "p"}
    first.reset("org-a")
    second.refresh()
    assert second.get("org-a", "admin.project", "p") is None and second.get("org-b", "admin.project", "p") == {"id": "p"}
    first.client.flushall()  # the counter starts over: its next value must not be one a cache already holds
    for _ in range(3):
        first.put("org-b", "admin.project", "q", {"id": "q"})
    assert int(first.client.get("mockapi:cfgv")) > 1 << 20  # it restarted at a random 40-bit value, not at 1
    second.refresh()
    assert second.get("org-b", "admin.project", "p") is None


def test_callers_get_copies_and_other_kinds_are_not_cached(stores):
    first, second = stores
    first.put("t", "webhook.config", "default", {"id": "default", "headers": {"a": "1"}})
    found = first.get("t", "webhook.config", "default")
    found["headers"]["a"] = "changed"
    first.list("t", "webhook.config")[0]["id"] = "changed"
    assert first.get("t", "webhook.config", "default") == {"id": "default", "headers": {"a": "1"}}
    assert first.list("t", "webhook.config") == [{"id": "default", "headers": {"a": "1"}}]
    second.get("t", "thread", "x")
    first.put("t", "thread", "x", {"id": "x"})
    assert second.get("t", "thread", "x") == {"id": "x"}  # an object kind: always read from Redis


def test_concurrent_readers_and_a_writer_end_on_the_last_write(stores):
    first, second = stores
    done = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not done.is_set():
                second.refresh()
                second.get("t", "limits", "k")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for n in range(200):
        (first if n % 2 else second).put("t", "limits", "k", {"id": "k", "n": n})
    done.set()
    for thread in readers:
        thread.join()
    assert not errors
    second.refresh()
    assert second.get("t", "limits", "k")["n"] == 199


def test_the_cached_kinds_are_the_ones_their_modules_write():
    from mockapi.api.admin import keys, projects, recorder
    from mockapi.core import outbox
    from mockapi.traffic import faults, ratelimits

    for kind in (faults._RULE_KIND, ratelimits._OVERRIDES, outbox.CONFIG, keys.KEY_INDEX, f"{keys.PROJECT_KEY}:proj_x",
                 projects.PROJECT, recorder.USAGE_INDEX):
        assert redis_cache.is_cached(kind), kind
    assert not redis_cache.is_cached(projects.PROJECT_USER + ":proj_x") and not redis_cache.is_cached(outbox.OUTBOX)
