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

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state, or one tenant's."""


class MemoryStore:
    """The default store: dictionaries behind one lock."""

    # Expired counters are swept once this many exist, so windowed keys never pile up.
    SWEEP_AT = 1024

    def __init__(self, clock: Any = None) -> None:
        self._lock = threading.RLock()
        self._objects: dict[tuple[str, str], OrderedDict[str, dict[str, Any]]] = {}
        self._counters: dict[str, tuple[int, float]] = {}
        self._sweep_at = self.SWEEP_AT
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

    def _add(self, key: str, amount: int, ttl_seconds: float, now: float) -> int:
        if len(self._counters) >= self._sweep_at and key not in self._counters:
            self._sweep(now)
        value, expires = self._counters.get(key, (0, now + ttl_seconds))
        if now >= expires:
            value, expires = 0, now + ttl_seconds
        value += amount
        self._counters[key] = (value, expires)
        return value

    def _sweep(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._counters.items() if now >= expires]:
            del self._counters[key]
        self._sweep_at = max(self.SWEEP_AT, 2 * len(self._counters))  # amortised: live keys are not rescanned often

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
