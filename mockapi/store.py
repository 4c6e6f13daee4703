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

    def reset(self, tenant: str | None = None) -> None:
        """Drop all state, or one tenant's."""


class MemoryStore:
    """The default store: dictionaries behind one lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._objects: dict[tuple[str, str], OrderedDict[str, dict[str, Any]]] = {}
        self._counters: dict[str, tuple[int, float]] = {}

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
        now = time.monotonic() if now is None else now
        with self._lock:
            value, expires = self._counters.get(key, (0, now + ttl_seconds))
            if now >= expires:
                value, expires = 0, now + ttl_seconds
            value += amount
            self._counters[key] = (value, expires)
            return value

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
