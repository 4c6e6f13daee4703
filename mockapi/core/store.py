"""The state interface and its in-memory implementation.

Objects live per tenant and per kind ("chat.completion", "file", …), in insertion order, so
lists paginate stably. Counters (rate limits) are keyed strings with an expiry. A Redis
implementation with the same interface lets several workers share state.
"""

from __future__ import annotations

import builtins
import itertools
import threading
import time
from typing import Any, Iterable, Iterator, Protocol

from .compiled import interpreted_class
from .jsonutil import dumps, loads


class Store(Protocol):
    """What every state backend offers."""

    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object (the caller's own copy), or None."""

    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object (replacing keeps its list position)."""

    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""

    def list(self, tenant: str, kind: str) -> builtins.list[dict[str, Any]]:
        """Every object of a kind, oldest first."""

    def scan(self, tenant: str, kind: str, *, reverse: bool = False, after: str | None = None,
             before: str | None = None) -> Iterator[dict[str, Any]]:
        """Objects of a kind in list order (oldest first; newest first when ``reverse``), lazily.

        With ``after`` only the objects past that one, with ``before`` only those ahead of it (both in the
        order asked); nothing when a bound is not stored. A page costs what it reads, not the kind's size.
        """

    def count(self, tenant: str, kind: str) -> int:
        """How many objects of a kind there are."""

    def incr(self, key: str, amount: int, ttl_seconds: float) -> int:
        """Add to a counter that expires ``ttl_seconds`` after it was created; return its value."""

    def incr_many(self, items: builtins.list[tuple[str, int, float]]) -> builtins.list[int]:
        """``incr`` for several (key, amount, ttl) at once (one lock, or one round trip); values in order."""

    def reserve(self, items: builtins.list[tuple[str, int, int, int | None, float]]) -> tuple[bool, builtins.list[int]]:
        """Atomically add every (key, need, amount, limit, ttl) amount when each has ``value + need <= limit``.

        Returns whether it added, and the values (after adding, or as they were when refused).
        """

    def healthy(self) -> bool:
        """Whether the backend answers now (``/health``)."""

    def refresh(self) -> None:
        """A request starts: what it reads reflects every write made before now, by any worker (cheap; never raises)."""

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state, or one tenant's."""


class _Bucket:
    """One tenant's objects of one kind: by id, plus their list order (ids with holes where objects were deleted).

    The order list gives ``scan`` a place to start from (an id's position) without walking the objects before it.
    """

    __slots__ = ("objects", "order", "position", "holes")

    def __init__(self) -> None:
        self.objects: dict[str, str] = {}  # JSON text: see MemoryStore
        self.order: builtins.list[str | None] = []
        self.position: dict[str, int] = {}
        self.holes = 0

    def put(self, object_id: str, obj: str) -> None:
        if object_id not in self.objects:  # a new id goes last; a replaced one keeps its place
            self.position[object_id] = len(self.order)
            self.order.append(object_id)
        self.objects[object_id] = obj

    def delete(self, object_id: str) -> bool:
        if self.objects.pop(object_id, None) is None:
            return False
        self.order[self.position.pop(object_id)] = None
        self.holes += 1
        if self.holes > 64 and 2 * self.holes > len(self.order):  # compact: new lists, so a running scan keeps its own
            order: builtins.list[str | None] = [i for i in self.order if i is not None]
            self.order, self.position, self.holes = order, {i: n for n, i in enumerate(order)}, 0  # type: ignore[misc]
        return True

    def scan(self, reverse: bool, after: str | None, before: str | None) -> Iterator[dict[str, Any]]:
        order, position = self.order, self.position  # one snapshot: compaction replaces both lists
        if (after is not None and after not in position) or (before is not None and before not in position):
            return
        if reverse:
            start = len(order) - 1 if after is None else position[after] - 1
            stop = -1 if before is None else position[before]
        else:
            start = 0 if after is None else position[after] + 1
            stop = len(order) if before is None else position[before]
        for index in range(start, stop, -1 if reverse else 1):
            object_id = order[index]
            obj = None if object_id is None else self.objects.get(object_id)
            if obj is not None:
                yield loads(obj)


@interpreted_class  # see mockapi/core/compiled.py
class MemoryStore:
    """The default store: objects kept as JSON text behind one lock.

    Text, not the dictionaries themselves: strings are invisible to the garbage collector, which otherwise walks every
    stored object (a Responses benchmark stores each reply; at 20,000 of them collections paused for up to 215 ms),
    and a reader gets its own copy, as from Redis, so no caller can change a stored object without ``put``.
    A ``str``, not orjson's bytes: those keep the encoder's whole buffer (about 4 kB for a 40-byte object).
    """

    # Expired counters are swept once this many exist, so windowed keys never pile up.
    SWEEP_AT = 1024
    # Past this many live counters the least recently used are dropped: counters that never expire (how many
    # identical calls came before, for ids) must not grow without bound. Rate-limit windows are used on every
    # request, so they stay; an evicted occurrence count restarts at 1 for that request content (so ids repeat only
    # after 20,000 other distinct requests since its last use). A counter costs about 0.8 kB: at most ~16 MB.
    MAX_COUNTERS = 20_000

    def __init__(self, clock: Any = None, max_counters: int | None = None) -> None:
        self._lock = threading.RLock()
        self._objects: dict[tuple[str, str], _Bucket] = {}
        self._counters: dict[str, tuple[int, float]] = {}  # least recently used first (a plain dict keeps that order)
        self.max_counters = max_counters or self.MAX_COUNTERS
        self._sweep_at = min(self.SWEEP_AT, self.max_counters)
        self.clock = clock  # counters expire on this clock (the engine's) when set, else on monotonic time

    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object, or None."""
        bucket = self._objects.get((tenant, kind))
        found = None if bucket is None else bucket.objects.get(object_id)
        return None if found is None else loads(found)

    def text(self, tenant: str, kind: str, object_id: str) -> str | None:
        """One object's stored JSON text, unparsed (None when absent): for a reader that only looks for one field."""
        bucket = self._objects.get((tenant, kind))
        return None if bucket is None else bucket.objects.get(object_id)

    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object."""
        text = dumps(obj).decode()
        with self._lock:
            bucket = self._objects.get((tenant, kind))
            if bucket is None:
                bucket = self._objects[(tenant, kind)] = _Bucket()
            bucket.put(object_id, text)

    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""
        with self._lock:
            bucket = self._objects.get((tenant, kind))
            return bucket is not None and bucket.delete(object_id)

    def list(self, tenant: str, kind: str) -> builtins.list[dict[str, Any]]:
        """Every object of a kind, oldest first."""
        bucket = self._objects.get((tenant, kind))
        if bucket is None or not bucket.objects:  # no lock (as ``get``): every request lists the fault rules, usually none
            return []
        with self._lock:  # only the snapshot needs the lock: parsing every object under it would stall writers
            bucket = self._objects.get((tenant, kind))
            texts = [] if bucket is None else list(bucket.objects.values())
        return [loads(text) for text in texts]

    def scan(self, tenant: str, kind: str, *, reverse: bool = False, after: str | None = None,
             before: str | None = None) -> Iterator[dict[str, Any]]:
        """Objects in list order from a cursor, lazily (see ``Store.scan``)."""
        bucket = self._objects.get((tenant, kind))
        return iter(()) if bucket is None else bucket.scan(reverse, after, before)

    def count(self, tenant: str, kind: str) -> int:
        """How many objects of a kind there are."""
        bucket = self._objects.get((tenant, kind))
        return 0 if bucket is None else len(bucket.objects)

    def incr(self, key: str, amount: int, ttl_seconds: float, now: float | None = None) -> int:
        """Add to an expiring counter and return its value."""
        if now is None:
            now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            return self._add(((key, amount, ttl_seconds),), now)[0]

    def incr_many(self, items: builtins.list[tuple[str, int, float]], now: float | None = None) -> builtins.list[int]:
        """``incr`` for several counters under one lock (``now``: this store's clock read by the caller, as ``incr``)."""
        if now is None:
            now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            return self._add(items, now)

    def reserve(self, items: builtins.list[tuple[str, int, int, int | None, float]]) -> tuple[bool, builtins.list[int]]:
        """Check every limit and add every amount under one lock (see ``Store.reserve``)."""
        now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            counters, values, room = self._counters, [], True
            for key, need, _, limit, _ in items:
                found = counters.get(key)
                value = found[0] if found is not None and now < found[1] else 0
                values.append(value)
                if limit is not None and value + need > limit:
                    room = False
            if not room:
                return False, values
            added = iter(self._add([(key, amount, ttl) for key, _, amount, _, ttl in items if amount], now))
            return True, [next(added) if amount else value for value, (_, _, amount, _, _) in zip(values, items)]

    def healthy(self) -> bool:
        """Memory is always there."""
        return True

    def refresh(self) -> None:
        """Nothing to do: every read is of the state itself."""

    def _add(self, items: Iterable[tuple[str, int, float]], now: float) -> builtins.list[int]:
        """Add to each counter in turn (the lock is held); one loop, as every request adds to several at once."""
        counters, values = self._counters, []
        for key, amount, ttl_seconds in items:
            found = counters.pop(key, None)  # re-inserted last: the order is least recent first
            if found is None:
                if len(counters) >= self._sweep_at:
                    self._sweep(now)
                value, expires = amount, now + ttl_seconds
            elif now >= found[1]:  # expired: a new window
                value, expires = amount, now + ttl_seconds
            else:
                value, expires = found[0] + amount, found[1]
            counters[key] = (value, expires)
            values.append(value)
        return values

    def _sweep(self, now: float) -> None:
        counters = self._counters
        for key in [k for k, (_, expires) in counters.items() if now >= expires]:
            del counters[key]
        if len(counters) >= self.max_counters:  # drop the least recent tenth at once, so the next sweep is far off
            for key in list(itertools.islice(counters, len(counters) - int(self.max_counters * 0.9))):
                del counters[key]
        self._sweep_at = min(self.max_counters, max(self.SWEEP_AT, 2 * len(counters)))  # amortised

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state, or one tenant's."""
        with self._lock:
            if tenant is None:
                self._objects.clear()
                self._counters.clear()
                return
            for key in [k for k in self._objects if k[0] == tenant]:
                del self._objects[key]
            for counter in [k for k in self._counters if k.startswith(f"{tenant}:")]:
                del self._counters[counter]


def open_store(spec: str) -> Store:
    """The store a ``--store`` setting names: ``memory`` (the default) or ``redis://host:port/db``."""
    if spec in ("", "memory"):
        return MemoryStore()
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore(spec)
    raise ValueError(f"unknown store {spec!r}: expected 'memory' or a redis:// URL")
