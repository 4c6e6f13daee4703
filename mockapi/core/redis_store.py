"""The Redis store: the ``Store`` interface on a Redis server, so several workers share one state.

Layout under a prefix (default ``mockapi``): ``{p}:o:{tenant}:{kind}`` is a hash of id -> JSON,
``{p}:i:{tenant}:{kind}`` a sorted set keeping insertion order, ``{p}:c:{key}`` the counters and
``{p}:b:{id}`` file contents as lists of chunks. Every operation is O(1) or O(log n) in the
number of stored objects, except ``list`` and ``reset``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Iterator

import redis

from .jsonutil import dumps, loads

# Create-or-replace keeping the list position: a new id gets the next sequence number.
_PUT = """
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return 1
"""
# A counter whose expiry starts when it is created, as MemoryStore.incr does.
_INCR = """
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
"""
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
CHUNK = 1 << 18


def _glob(text: str) -> str:
    return _GLOB_SPECIAL.sub(r"\\\1", text)


class RedisStore:
    """``Store`` on Redis (``redis://host:port/db``)."""

    def __init__(self, url: str, prefix: str = "mockapi") -> None:
        self.url = url
        self.prefix = prefix
        self.client = redis.Redis.from_url(url)
        self._put = self.client.register_script(_PUT)
        self._incr = self.client.register_script(_INCR)

    def _keys(self, tenant: str, kind: str) -> tuple[str, str]:
        return f"{self.prefix}:o:{tenant}:{kind}", f"{self.prefix}:i:{tenant}:{kind}"

    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object, or None."""
        raw = self.client.hget(self._keys(tenant, kind)[0], object_id)
        return None if raw is None else loads(raw)

    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object (replacing keeps its list position)."""
        objects, index = self._keys(tenant, kind)
        self._put(keys=[objects, index, f"{self.prefix}:seq"], args=[object_id, dumps(obj)])

    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""
        objects, index = self._keys(tenant, kind)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hdel(objects, object_id)
            pipe.zrem(index, object_id)
            removed, _ = pipe.execute()
        return bool(removed)

    def list(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, oldest first."""
        objects, index = self._keys(tenant, kind)
        ids = self.client.zrange(index, 0, -1)
        out: list[dict[str, Any]] = []
        for start in range(0, len(ids), 1000):
            out += [loads(raw) for raw in self.client.hmget(objects, ids[start:start + 1000]) if raw is not None]
        return out

    def incr(self, key: str, amount: int, ttl_seconds: float) -> int:
        """Add to a counter that expires ``ttl_seconds`` after it was created; return its value."""
        return int(self._incr(keys=[f"{self.prefix}:c:{key}"], args=[amount, max(1, int(ttl_seconds * 1000))]))

    def incr_many(self, items: list[tuple[str, int, float]]) -> list[int]:
        """``incr`` for several counters in one pipelined round trip."""
        pipe = self.client.pipeline(transaction=False)
        for key, amount, ttl in items:
            self._incr(keys=[f"{self.prefix}:c:{key}"], args=[amount, max(1, int(ttl * 1000))], client=pipe)
        return [int(v) for v in pipe.execute()]

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state (this prefix's keys), or one tenant's objects and counters."""
        if tenant is None:
            patterns = [f"{_glob(self.prefix)}:*"]
        else:
            t = _glob(tenant)
            patterns = [f"{_glob(self.prefix)}:{part}:{t}:*" for part in ("o", "i", "c")]
        for pattern in patterns:
            batch: list[bytes] = []
            for key in self.client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    self.client.delete(*batch)
                    batch = []
            if batch:
                self.client.delete(*batch)

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

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.size += len(data)
        if len(self._buffer) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._client.rpush(self._key, bytes(self._buffer))
            self._buffer = bytearray()

    def commit(self, blob_id: str) -> int:
        self._flush()
        target = f"{self._prefix}:b:{blob_id}"
        if self.size == 0:
            self._client.delete(target)
            self._client.rpush(target, b"")
        else:
            self._client.rename(self._key, target)
        return self.size

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
        for i in range(self._client.llen(key)):
            chunk = self._client.lindex(key, i)
            if chunk:
                yield chunk

    def delete(self, blob_id: str) -> None:
        """Drop a blob."""
        self._client.delete(f"{self._prefix}:b:{blob_id}")
