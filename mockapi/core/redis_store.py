"""The Redis store: the ``Store`` interface on a Redis server, so several workers share one state.

Layout under a prefix (default ``mockapi``): ``{p}:o:{tenant}:{kind}`` is a hash of id -> JSON,
``{p}:i:{tenant}:{kind}`` a sorted set keeping insertion order, ``{p}:c:{key}`` the counters and
``{p}:b:{id}`` file contents as lists of chunks. Every operation is O(1) or O(log n) in the
number of stored objects, except ``list`` and ``reset`` (``scan`` reads what it yields).

Configuration kinds read on every request (fault rules, limits, the webhook target, the Administration API's
keys and projects, see :mod:`.redis_cache`) are answered from a per-process cache kept valid by one version
counter ``{p}:cfgv``, which every write of those kinds and every reset bumps atomically with the write.

Faults: every call has a short timeout (``socket_timeout`` / ``socket_connect_timeout``, 1 s unless the URL
sets them, e.g. ``redis://host:6379/0?socket_timeout=2``). An unreachable or hung Redis raises
:class:`ServiceUnavailableError` (an OpenAI-shaped 503), and for ``FAIL_FAST_SECONDS`` afterwards calls
fail at once instead of each waiting out the timeout; then the next call tries again (redis-py
reconnects), so recovery needs nothing.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import uuid
from typing import Any, Callable, Iterator, TypeVar
from urllib.parse import parse_qs, urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .errors import ServiceUnavailableError
from .jsonutil import dumps, loads
from .redis_cache import ConfigCache, is_cached
from .redis_scripts import BUMP, DELETE, INCR_MANY, PUT, RESERVE

DEFAULT_TIMEOUT = 1.0  # seconds; a request waits at most about this long for a hung Redis
FAIL_FAST_SECONDS = 1.0
_OUTAGE = (redis.ConnectionError, redis.TimeoutError)
_T = TypeVar("_T")

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
CHUNK = 1 << 18


def _glob(text: str) -> str:
    return _GLOB_SPECIAL.sub(r"\\\1", text)


def _seed() -> int:
    return uuid.uuid4().int >> 88


def _client(url: str) -> redis.Redis:
    """A client with short timeouts (unless the URL sets its own) and one quick reconnect, never a retry on a timeout."""
    given = parse_qs(urlsplit(url).query)
    timeouts = {name: DEFAULT_TIMEOUT for name in ("socket_timeout", "socket_connect_timeout") if name not in given}
    # redis-py's default retries three times with backoff, on timeouts too: a hung Redis would hold a request 4x longer.
    return redis.Redis.from_url(url, retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)), **timeouts)


def _guarded(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn an outage inside ``method`` into a 503, and fail fast while the outage is fresh."""

    @functools.wraps(method)
    def wrapper(self: "RedisStore", *args: Any, **kwargs: Any) -> _T:
        self._check_outage()
        try:
            return method(self, *args, **kwargs)
        except _OUTAGE as exc:
            raise self._outage(exc) from None

    return wrapper


def _plain_guard(method: Callable[..., _T]) -> Callable[..., _T]:
    """A 503 for an outage during a blob call (no fail-fast window: blobs follow a store call that has one)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        try:
            return method(*args, **kwargs)
        except _OUTAGE:
            raise ServiceUnavailableError("The mock's state store (Redis) is unavailable; please try again later.") from None

    return wrapper


class RedisStore:
    """``Store`` on Redis (``redis://host:port/db``)."""

    def __init__(self, url: str, prefix: str = "mockapi") -> None:
        self.url = url
        self.prefix = prefix
        self.client = _client(url)
        self._put = self.client.register_script(PUT)
        self._reserve = self.client.register_script(RESERVE)
        self._incr_many = self.client.register_script(INCR_MANY)
        self._delete = self.client.register_script(DELETE)
        self._bump = self.client.register_script(BUMP)
        self._version_key = f"{prefix}:cfgv"
        self._cache = ConfigCache(self._version_now)
        self._down_until = 0.0
        self._down_lock = threading.Lock()

    # -- outages -------------------------------------------------------------------------------
    def _check_outage(self) -> None:
        if self._down_until and time.monotonic() < self._down_until:
            raise ServiceUnavailableError("The mock's state store (Redis) is unavailable; please try again later.")

    def _outage(self, exc: Exception) -> ServiceUnavailableError:
        with self._down_lock:
            self._down_until = time.monotonic() + FAIL_FAST_SECONDS
        kind = "did not answer in time" if isinstance(exc, redis.TimeoutError) else "is unreachable"
        return ServiceUnavailableError(f"The mock's state store (Redis) {kind}; please try again later.")

    def healthy(self) -> bool:
        """Whether Redis answers a PING now (it always asks, so it also ends a fail-fast window)."""
        try:
            ok = bool(self.client.ping())
        except (*_OUTAGE, redis.RedisError):
            with self._down_lock:
                self._down_until = time.monotonic() + FAIL_FAST_SECONDS
            return False
        self._down_until = 0.0
        return ok

    def reserve(self, items: list[tuple[str, int, int, int | None, float]]) -> tuple[bool, list[int]]:
        """Atomically: when every (key, need, amount, limit, ttl) has ``value + need <= limit``, add every amount.

        Returns whether it did, and the values (after adding, or as they were when refused).
        """
        self._check_outage()
        args: list[Any] = []
        for _, need, amount, limit, ttl in items:
            args += [need, amount, -1 if limit is None else limit, max(1, int(ttl * 1000))]
        try:
            found = self._reserve(keys=[f"{self.prefix}:c:{key}" for key, *_ in items], args=args)
        except _OUTAGE as exc:
            raise self._outage(exc) from None
        return bool(found[0]), [int(v) for v in found[1:]]

    def _keys(self, tenant: str, kind: str) -> tuple[str, str]:
        return f"{self.prefix}:o:{tenant}:{kind}", f"{self.prefix}:i:{tenant}:{kind}"

    # -- the configuration cache (see redis_cache.py) ----------------------------------------------
    def refresh(self) -> None:
        """A request starts: its first read of a cached kind checks the version first (no round trip until then)."""
        self._cache.refresh()

    def _version_now(self) -> int:
        return int(self.client.get(self._version_key) or 0)

    def _write_cached(self, write: Callable[[], Any]) -> Any:
        """Run a write that bumps the version (returning it, or (answer, version)); this process's cache starts over."""
        try:
            found = write()
        except BaseException:
            self._cache.wrote(None)  # it may or may not have happened: trust nothing until the next check
            raise
        self._cache.wrote(int(found[-1] if isinstance(found, list) else found))
        return found

    # -- objects -----------------------------------------------------------------------------------
    @_guarded
    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object, or None."""
        raw = self._read(kind, (tenant, kind, object_id), lambda: self.client.hget(self._keys(tenant, kind)[0], object_id))
        return None if raw is None else loads(raw)

    @_guarded
    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object (replacing keeps its list position)."""
        objects, index = self._keys(tenant, kind)
        if not is_cached(kind):
            self._put(keys=[objects, index, f"{self.prefix}:seq"], args=[object_id, dumps(obj)])
            return
        self._write_cached(lambda: self._put(keys=[objects, index, f"{self.prefix}:seq", self._version_key],
                                             args=[object_id, dumps(obj), _seed()]))

    @_guarded
    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""
        objects, index = self._keys(tenant, kind)
        if is_cached(kind):
            removed, _ = self._write_cached(lambda: self._delete(keys=[objects, index, self._version_key], args=[object_id, _seed()]))
            return bool(removed)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hdel(objects, object_id)
            pipe.zrem(index, object_id)
            removed, _ = pipe.execute()
        return bool(removed)

    @_guarded
    def list(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, oldest first."""
        return [loads(raw) for raw in self._read(kind, (tenant, kind), lambda: self._list_raw(tenant, kind))]

    def _read(self, kind: str, key: tuple[str, ...], load: Callable[[], Any]) -> Any:
        """``load()``'s raw answer, through the configuration cache when ``kind`` is cached."""
        return self._cache.read(key, load) if is_cached(kind) else load()

    def _list_raw(self, tenant: str, kind: str) -> tuple[bytes, ...]:
        objects, index = self._keys(tenant, kind)
        ids = self.client.zrange(index, 0, -1)
        out: list[bytes] = []
        for start in range(0, len(ids), 1000):
            out += [raw for raw in self.client.hmget(objects, ids[start:start + 1000]) if raw is not None]
        return tuple(out)  # a tuple: what the cache keeps cannot change (and it knows a list by its type)

    def scan(self, tenant: str, kind: str, *, reverse: bool = False, after: str | None = None,
             before: str | None = None) -> Iterator[dict[str, Any]]:
        """Objects in list order from a cursor, lazily (see ``Store.scan``): O(log n) to find the cursor, then
        growing batches from the index (the sorted set's scores are the insertion sequence)."""
        objects, index = self._keys(tenant, kind)
        return self._scan(objects, index, reverse, after, before)

    def _scan(self, objects: str, index: str, reverse: bool, after: str | None, before: str | None) -> Iterator[dict[str, Any]]:
        self._check_outage()
        try:
            scores = [None if cursor is None else self.client.zscore(index, cursor) for cursor in (after, before)]
            if (after is not None and scores[0] is None) or (before is not None and scores[1] is None):
                return
            past, ahead = (f"({int(score)}" if score is not None else None for score in scores)
            low, high = (ahead or "-inf", past or "+inf") if reverse else (past or "-inf", ahead or "+inf")
            batch = 32
            while True:
                found = (self.client.zrevrangebyscore(index, high, low, start=0, num=batch, withscores=True) if reverse
                         else self.client.zrangebyscore(index, low, high, start=0, num=batch, withscores=True))
                if not found:
                    return
                for raw in self.client.hmget(objects, [object_id for object_id, _ in found]):
                    if raw is not None:
                        yield loads(raw)
                if len(found) < batch:
                    return
                last = f"({int(found[-1][1])}"
                high, low = (last, low) if reverse else (high, last)
                batch = min(2 * batch, 1000)
        except _OUTAGE as exc:
            raise self._outage(exc) from None

    @_guarded
    def count(self, tenant: str, kind: str) -> int:
        """How many objects of a kind there are."""
        return int(self.client.zcard(self._keys(tenant, kind)[1]))

    def incr(self, key: str, amount: int, ttl_seconds: float) -> int:
        """Add to a counter that expires ``ttl_seconds`` after it was created; return its value."""
        return self.incr_many([(key, amount, ttl_seconds)])[0]

    @_guarded
    def incr_many(self, items: list[tuple[str, int, float]]) -> list[int]:
        """``incr`` for several counters in one round trip."""
        if not items:
            return []
        args: list[Any] = []
        for _, amount, ttl in items:
            args += [amount, max(1, int(ttl * 1000))]
        return [int(v) for v in self._incr_many(keys=[f"{self.prefix}:c:{key}" for key, _, _ in items], args=args)]

    @_guarded
    def reset(self, tenant: str | None = None) -> None:
        """Drop all state (this prefix's keys), or one tenant's objects and counters; bump the configuration version."""
        self._write_cached(lambda: self._reset(tenant))

    def _reset(self, tenant: str | None) -> int:
        if tenant is None:
            patterns = [f"{_glob(self.prefix)}:*"]
        else:
            t = _glob(tenant)
            patterns = [f"{_glob(self.prefix)}:{part}:{t}:*" for part in ("o", "i", "c")]
        version_key = self._version_key.encode()
        for pattern in patterns:
            batch: list[bytes] = []
            for key in self.client.scan_iter(match=pattern, count=1000):
                if key == version_key:
                    continue  # kept, so a version never returns to one a worker's cache holds
                batch.append(key)
                if len(batch) >= 1000:
                    self.client.delete(*batch)
                    batch = []
            if batch:
                self.client.delete(*batch)
        return self._bump(keys=[self._version_key], args=[_seed()])

    def blobs(self) -> "RedisBlobs":
        """File contents kept in this Redis, so every worker reads the same bytes."""
        return RedisBlobs(self.client, self.prefix)

    def close(self) -> None:
        """Release the connection pool."""
        self.client.close()


class _RedisWriter:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._key = f"{prefix}:bt:{uuid.uuid4().hex}"
        self._buffer = bytearray()
        self.size = 0

    @_plain_guard
    def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        if len(self._buffer) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._client.rpush(self._key, bytes(self._buffer))
            self._buffer = bytearray()

    @_plain_guard
    def commit(self, blob_id: str) -> int:
        self._flush()
        target = f"{self._prefix}:b:{blob_id}"
        if self.size == 0:
            self._client.delete(target)
            self._client.rpush(target, b"")
        else:
            self._client.rename(self._key, target)
        return self.size

    @_plain_guard
    def abort(self) -> None:
        self._buffer = bytearray()
        self._client.delete(self._key)


class RedisBlobs:
    """File contents as Redis lists of chunks."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def writer(self) -> _RedisWriter:
        """A new blob to write into."""
        return _RedisWriter(self._client, self._prefix)

    def chunks(self, blob_id: str) -> Iterator[bytes]:
        """The blob's chunks, fetched one at a time."""
        key = f"{self._prefix}:b:{blob_id}"
        for i in range(_plain_guard(self._client.llen)(key)):
            chunk = _plain_guard(self._client.lindex)(key, i)
            if chunk:
                yield chunk

    @_plain_guard
    def delete(self, blob_id: str) -> None:
        """Drop a blob."""
        self._client.delete(f"{self._prefix}:b:{blob_id}")
