"""A per-process cache of rarely written configuration read from the Redis store, kept valid by one version counter.

Every request reads a handful of configuration objects (fault rules, rate-limit overrides, the webhook target,
the Administration API's key index, projects and keys, the usage index): one Redis round trip each, though they
almost never change. The store keeps what it read of these kinds here, and every write of them (and every reset)
bumps one Redis counter, ``{prefix}:cfgv``, in the same atomic step as the write.

When the cache may answer:

* ``RedisStore.refresh()`` (the engine calls it as each request starts) asks that the next cached read on this
  thread first compare the counter with the version the cache holds, clearing the cache when it moved: one round
  trip per request that reads configuration, and a write by any worker is seen by every worker's next request.
* A cached read whose last version check started over ``MAX_AGE`` seconds ago checks first too, so threads that
  serve no request (the webhook sender, realtime sessions) never read configuration older than that.
* A read stores its answer only when no clear happened while it read (``generation``): a thread that read old
  data cannot store it after the cache was cleared for a newer version.

Entries are the raw JSON Redis returned (bytes, or None for a missing object): every caller decodes its own copy,
so none can change what another reads.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

# The kinds cached, named where they are written: traffic/faults.py (_RULE_KIND), traffic/ratelimits.py
# (_OVERRIDES), core/outbox.py (CONFIG), api/admin/keys.py (KEY_INDEX; PROJECT_KEY + ":<project id>", a
# family), api/admin/projects.py (PROJECT), api/admin/recorder.py (USAGE_INDEX). The recorder writes a
# project key at most once a second per key in use (its last_used_at) and a usage index entry once a minute
# per key and model: rare next to the requests that read them.
CACHED_KINDS = frozenset({"fault_rule", "limits", "webhook.config", "admin.key_index", "admin.project",
                          "admin.usage_index"})
CACHED_FAMILIES = ("admin.project_key:",)
MAX_AGE = 0.5  # seconds a version check stays good for reads outside a request
MAX_ENTRIES = 4096  # past this many the cache starts over
MAX_LIST = 1024  # a longer list is read from Redis every time (configuration lists are short)
_MISSING = object()


def is_cached(kind: str) -> bool:
    """Whether reads of ``kind`` go through the cache (and its writes bump the version)."""
    return kind in CACHED_KINDS or kind.startswith(CACHED_FAMILIES)


class ConfigCache:
    """Raw answers of cached reads, valid for the version of ``{prefix}:cfgv`` last seen."""

    def __init__(self, check: Callable[[], int]) -> None:
        self._check = check  # reads the version counter from Redis (one round trip)
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], Any] = {}
        self._version: int | None = None  # the counter's value the entries belong to; None: not known yet
        self._generation = 0  # bumped by every clear: a read that saw another generation may not store
        self._checked_at = float("-inf")  # when the newest version check applied started (monotonic)
        self._thread = threading.local()  # .since: this thread's request wants a check started after this

    def refresh(self) -> None:
        """Make this thread's next cached read check the version first (the request that starts now sees every write before it)."""
        self._thread.since = time.monotonic()

    def read(self, key: tuple[Any, ...], load: Callable[[], Any]) -> Any:
        """The cached answer for ``key``, or ``load()``'s (stored when the cache stayed valid while loading)."""
        since = getattr(self._thread, "since", None)
        checked_at = self._checked_at
        if time.monotonic() - checked_at > MAX_AGE or (since is not None and checked_at <= since):
            self.check()
            if since is not None:
                self._thread.since = None
        found = self._entries.get(key, _MISSING)
        if found is not _MISSING:
            return found
        generation = self._generation
        value = load()
        if isinstance(value, tuple) and len(value) > MAX_LIST:
            return value
        with self._lock:
            if generation == self._generation and self._version is not None:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = value
        return value

    def check(self) -> None:
        """Read the version now: clear the entries when it is not the one they belong to."""
        started = time.monotonic()
        version = self._check()
        with self._lock:
            if version != self._version:
                self._clear()
                self._version = version
            if started > self._checked_at:
                self._checked_at = started

    def wrote(self, version: int | None) -> None:
        """A write of a cached kind (or a reset) through this process made the counter ``version``: start over.

        None: the write failed half-way (an outage), so nothing is stored until the next version check.
        """
        with self._lock:
            self._clear()
            self._version = version

    def _clear(self) -> None:
        self._entries.clear()
        self._generation += 1
