"""The state interface and its in-memory implementation.

Objects live per tenant and per kind ("chat.completion", "file", …), in insertion order, so
lists paginate stably. Counters (rate limits) are keyed strings with an expiry. A Redis
implementation with the same interface lets several workers share state.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Protocol


class Store(Protocol):
    """What every state backend offers."""

    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object, or None."""

    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object (replacing keeps its list position)."""

    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""

    def list(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, oldest first."""

    def incr(self, key: str, amount: int, ttl_seconds: float) -> int:
        """Add to a counter that expires ``ttl_seconds`` after it was created; return its value."""

    def incr_many(self, items: list[tuple[str, int, float]]) -> list[int]:
        """``incr`` for several (key, amount, ttl) at once (one lock, or one round trip); values in order."""

    def reserve(self, items: list[tuple[str, int, int, int | None, float]]) -> tuple[bool, list[int]]:
        """Atomically add every (key, need, amount, limit, ttl) amount when each has ``value + need <= limit``.

        Returns whether it added, and the values (after adding, or as they were when refused).
        """

    def healthy(self) -> bool:
        """Whether the backend answers now (``/health``)."""

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state, or one tenant's."""


class MemoryStore:
    """The default store: dictionaries behind one lock."""

    # Expired counters are swept once this many exist, so windowed keys never pile up.
    SWEEP_AT = 1024
    # Past this many live counters the least recently used are dropped: counters that never expire (how many
    # identical calls came before, for ids) must not grow without bound. Rate-limit windows are used on every
    # request, so they stay; an evicted occurrence count restarts at 1 for that request content (so ids repeat only
    # after 20,000 other distinct requests since its last use). A counter costs about 0.8 kB: at most ~16 MB.
    MAX_COUNTERS = 20_000

    def __init__(self, clock: Any = None, max_counters: int | None = None) -> None:
        self._lock = threading.RLock()
        self._objects: dict[tuple[str, str], OrderedDict[str, dict[str, Any]]] = {}
        self._counters: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self.max_counters = max_counters or self.MAX_COUNTERS
        self._sweep_at = min(self.SWEEP_AT, self.max_counters)
        self.clock = clock  # counters expire on this clock (the engine's) when set, else on monotonic time

    def get(self, tenant: str, kind: str, object_id: str) -> dict[str, Any] | None:
        """One object, or None."""
        bucket = self._objects.get((tenant, kind))
        return None if bucket is None else bucket.get(object_id)

    def put(self, tenant: str, kind: str, object_id: str, obj: dict[str, Any]) -> None:
        """Create or replace an object."""
        with self._lock:
            self._objects.setdefault((tenant, kind), OrderedDict())[object_id] = obj

    def delete(self, tenant: str, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""
        with self._lock:
            bucket = self._objects.get((tenant, kind))
            return bucket is not None and bucket.pop(object_id, None) is not None

    def list(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, oldest first."""
        with self._lock:
            return list(self._objects.get((tenant, kind), {}).values())

    def incr(self, key: str, amount: int, ttl_seconds: float, now: float | None = None) -> int:
        """Add to an expiring counter and return its value."""
        if now is None:
            now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            return self._add(key, amount, ttl_seconds, now)

    def incr_many(self, items: list[tuple[str, int, float]]) -> list[int]:
        """``incr`` for several counters under one lock."""
        now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            return [self._add(key, amount, ttl, now) for key, amount, ttl in items]

    def reserve(self, items: list[tuple[str, int, int, int | None, float]]) -> tuple[bool, list[int]]:
        """Check every limit and add every amount under one lock (see ``Store.reserve``)."""
        now = self.clock.now() if self.clock is not None else time.monotonic()
        with self._lock:
            values = [self._value(key, now) for key, *_ in items]
            if any(limit is not None and value + need > limit for value, (_, need, _, limit, _) in zip(values, items)):
                return False, values
            return True, [self._add(key, amount, ttl, now) if amount else value
                          for value, (key, _, amount, _, ttl) in zip(values, items)]

    def healthy(self) -> bool:
        """Memory is always there."""
        return True

    def _value(self, key: str, now: float) -> int:
        value, expires = self._counters.get(key, (0, now))
        return value if now < expires else 0

    def _add(self, key: str, amount: int, ttl_seconds: float, now: float) -> int:
        counters = self._counters
        if key not in counters and len(counters) >= self._sweep_at:
            self._sweep(now)
        value, expires = counters.pop(key, (0, now + ttl_seconds))  # re-inserted last: the order is least recent first
        if now >= expires:
            value, expires = 0, now + ttl_seconds
        value += amount
        counters[key] = (value, expires)
        return value

    def _sweep(self, now: float) -> None:
        counters = self._counters
        for key in [k for k, (_, expires) in counters.items() if now >= expires]:
            del counters[key]
        if len(counters) >= self.max_counters:  # drop the least recent tenth at once, so the next sweep is far off
            for _ in range(len(counters) - int(self.max_counters * 0.9)):
                counters.popitem(last=False)
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
            for key in [k for k in self._counters if k.startswith(f"{tenant}:")]:
                del self._counters[key]


def open_store(spec: str) -> Store:
    """The store a ``--store`` setting names: ``memory`` (the default) or ``redis://host:port/db``."""
    if spec in ("", "memory"):
        return MemoryStore()
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore(spec)
    raise ValueError(f"unknown store {spec!r}: expected 'memory' or a redis:// URL")
