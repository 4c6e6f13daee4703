"""Tenant-scoped object access over the store: ids, lookups with the real 404s, locks, timestamps."""

from __future__ import annotations

import copy
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from .determinism import digest, make_id
from .errors import ConflictError, InvalidRequestError, NotFoundError

SEQUENCE_TTL = 10 * 365 * 86400.0  # id counters never expire in practice
LOCK_TTL = 5.0  # a crashed holder frees its lock after this long
LOCK_WAIT = 2.0

# kind -> builder(repo, object_id, scope) of a deterministic stand-in for an unknown id (--unknown-ids synthesize)
SYNTHESIZERS: dict[str, Callable[["Repo", str, dict[str, str]], dict[str, Any]]] = {}


class Repo:
    """One tenant's view of the store, for one call."""

    def __init__(self, call: Any) -> None:
        self.call = call
        self.store = call.store
        self.tenant: str = call.tenant
        self.seed: int = call.seed
        self.clock = call.clock
        self.synthesize = call.settings.unknown_ids == "synthesize" or not call.faithful

    def now(self) -> int:
        """The mock clock's whole seconds."""
        return self.clock.timestamp()

    def new_id(self, prefix: str, kind: str, length: int = 24) -> str:
        """A fresh id with the real prefix: deterministic under the seed, unique through a shared counter."""
        n = self.store.incr(f"{self.tenant}:seq:{kind}", 1, SEQUENCE_TTL)
        return make_id(prefix, self.seed, self.tenant, kind, n, length=length)

    def counter(self, name: str, amount: int = 1) -> int:
        """Add to a tenant counter that lives as long as the tenant's state; return its value."""
        return self.store.incr(f"{self.tenant}:{name}", amount, SEQUENCE_TTL)

    def get(self, kind: str, object_id: str) -> dict[str, Any] | None:
        """A private copy of an object, or None."""
        found = self.store.get(self.tenant, kind, object_id)
        return None if found is None else copy.deepcopy(found)

    def require(self, kind: str, object_id: str, noun: str, prefix: str, **scope: str) -> dict[str, Any]:
        """The object, a synthesized stand-in (when configured), or the real API's 404."""
        found = self.get(kind, object_id)
        if found is not None:
            return found
        base = kind.split(":", 1)[0]
        if self.synthesize and object_id.startswith(prefix) and len(object_id) > len(prefix) and base in SYNTHESIZERS:
            return SYNTHESIZERS[base](self, object_id, scope)
        raise NotFoundError(f"No {noun} found with id '{object_id}'.")

    def put(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Store an object under its id and return it."""
        self.store.put(self.tenant, kind, obj["id"], obj)
        return obj

    def delete(self, kind: str, object_id: str) -> bool:
        """Remove an object; True when it existed."""
        return self.store.delete(self.tenant, kind, object_id)

    def list(self, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind, oldest first (private copies)."""
        return copy.deepcopy(self.store.list(self.tenant, kind))

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """A short mutual exclusion shared by every worker on the store (a counter used as a mutex)."""
        key = f"{self.tenant}:lock:{name}"
        deadline = time.monotonic() + LOCK_WAIT
        while self.store.incr(key, 1, LOCK_TTL) != 1:
            self.store.incr(key, -1, LOCK_TTL)
            if time.monotonic() > deadline:
                raise ConflictError(f"The object {name} is busy; try again.")
            time.sleep(0.001)  # a server-side wait for another request, never a test's timing
        try:
            yield
        finally:
            self.store.incr(key, -1, LOCK_TTL)


def synthetic_time(object_id: str) -> int:
    """A fixed, plausible ``created_at`` for a synthesized object, derived from its id."""
    return 1_700_000_000 + int(digest("synthetic", object_id), 16) % 50_000_000


def public(obj: dict[str, Any]) -> dict[str, Any]:
    """The API view of a stored object: private bookkeeping (keys starting with ``_``) removed."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def metadata_of(body: dict[str, Any], default: Any = None) -> Any:
    """The ``metadata`` a body sets (checked against the real limits), or ``default`` ({} on create)."""
    value = body.get("metadata", default)
    if isinstance(value, dict):
        if len(value) > 16:
            raise InvalidRequestError(f"Invalid 'metadata': too many properties. Expected an object with at most 16 "
                                      f"properties, but got an object with {len(value)} properties instead.",
                                      param="metadata", code="object_above_max_properties")
        for key, item in value.items():
            if len(key) > 64 or (isinstance(item, str) and len(item) > 512):
                raise InvalidRequestError(f"Invalid 'metadata.{key[:64]}': keys are at most 64 characters and values "
                                          f"at most 512.", param=f"metadata.{key[:64]}", code="string_above_max_length")
    return {} if value is None and default is not None else value
