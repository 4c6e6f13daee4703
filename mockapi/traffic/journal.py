"""The request journal: a bounded ring buffer of recent exchanges, secrets redacted, with live subscribers."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Callable

from mockapi.core.results import Reply

from .journal_capture import capture
from .journal_entry import (
    MAX_BODY,
    MAX_FRAME,
    MAX_FRAMES,
    MAX_REPLY_BODY,
    MAX_STREAM_BYTES,
    Entry,
)
from .redaction import (
    SECRET_HEADERS,
    known_secrets,
    mask,
    redact,
    redact_cached,
    redact_header,
)

__all__ = ["MAX_BODY", "MAX_FRAME", "MAX_FRAMES", "MAX_REPLY_BODY", "MAX_STREAM_BYTES", "SECRET_HEADERS", "Entry", "Journal",
           "mask", "redact", "redact_header"]  # redaction's home: .redaction; the entry's: .journal_entry

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # the whole journal (config: journal: {max_bytes: 64MB}); oldest entries go first


class Journal:
    """Recent exchanges, oldest dropped first; subscribers hear of each new one."""

    def __init__(self, engine: "Engine", size: int = 1000, max_bytes: int | None = None) -> None:
        self.engine = engine
        if max_bytes is None:
            from mockapi.core.limits import parse_size

            configured = (engine.settings.extra.get("journal") or {}).get("max_bytes", DEFAULT_MAX_BYTES)
            max_bytes = parse_size(configured, "journal.max_bytes")
        self.max_bytes = max(1, int(max_bytes))
        self._bytes = 0  # the weight of the settled entries (all but the newest ``_unsized``)
        self._unsized = 0
        self._pending = 0  # what the unsettled entries weigh without their headers (see ``_settle``)
        self._entries: deque[Entry] = deque(maxlen=max(1, int(size)))
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[Entry], None]] = []
        self.known = tuple(sorted(known_secrets(engine.settings), key=len, reverse=True))  # configured keys, admin token

    def __len__(self) -> int:
        with self._lock:
            self._settle()
            return len(self._entries)

    @property
    def size(self) -> int:
        """How many entries the ring holds at most."""
        return self._entries.maxlen or 0

    def observe(self, request: "Request", call: "Call | None", reply: Reply) -> None:
        """Record one answered request (an engine observer)."""
        started = time.perf_counter() if reply.stream is not None else 0.0  # only a stream's capture times itself
        entry = self._entry(request, call, reply)
        if reply.stream is not None:
            reply.stream = capture(self, entry, reply.stream, started)
        with self._lock:
            entry.seq = next(self._seq)
            entries = self._entries
            if len(entries) == entries.maxlen:
                self._evict()
            entries.append(entry)
            self._unsized += 1
            self._pending += entry.size
            subscribers = list(self._subscribers) if self._subscribers else ()
            if entry.stream or subscribers or self._bytes + self._pending > self.max_bytes:
                self._settle()
        for notify in subscribers:
            try:
                notify(entry)
            except Exception:  # a broken subscriber must not break the API
                logging.getLogger("mockapi").exception("journal subscriber failed")

    def _entry(self, request: "Request", call: "Call | None", reply: Reply) -> Entry:
        known = self.known
        meta = reply.meta
        error = meta.get("error")
        fault = (call.meta.get("fault_spec") if call else None) or meta.get("fault_spec")
        violations = None  # most exchanges have none: the entry makes its empty list only if it is read
        if error is not None and reply.status == 400 and not fault:  # an injected 400 breaks no contract
            violations = [redact(f"{getattr(error, 'param', None) or '<body>'}: {getattr(error, 'message', error)}", known)]
        body = request.body if request.body else b"" if request.body_file is None else b"<multipart upload>"
        return Entry(self.engine.clock.now(), request.method, redact_cached(request.path, known), request.query,
                     redact_cached(call.tenant if call else self._tenant(request), known),  # a header may carry a key
                     reply.status, call.op.operation_id if call else None, request.headers, body, reply.headers,
                     reply.body, reply.stream is not None, violations, fault,
                     meta.get("journal_frames") or (MAX_FRAMES, MAX_STREAM_BYTES), known)

    def _tenant(self, request: "Request") -> str:
        try:
            return self.engine.authenticate(request.headers)[0]
        except Exception:  # no or a bad key: the journal still shows the request
            return "-"

    def _weigh(self, entry: Entry, size: int) -> None:
        """Add ``size`` characters of frames kept by ``entry`` to its weight and the journal's, trimming if it is over."""
        with self._lock:
            self._settle()
            entry.size += size
            if not entry.evicted:
                self._bytes += size
                if self._bytes > self.max_bytes:
                    self._trim()

    def _evict(self) -> None:
        """Drop the oldest entry (the lock is held)."""
        old = self._entries.popleft()
        old.evicted = True
        if self._unsized > len(self._entries):  # every entry was unsettled: this one never counted
            self._unsized -= 1
            self._pending -= old.size
        else:
            self._bytes -= old.size

    def _settle(self) -> None:
        """Weigh the unsettled entries, oldest first, each followed by the trim its arrival would have made (the lock is held).

        Weighing an entry's headers costs a third of keeping it, and most entries leave the ring (by count) unread:
        so the newest entries wait, their bodies and overhead counted (``_pending``), until anything reads the
        journal, a stream or a subscriber comes, or that count alone passes ``max_bytes``. Eviction by weight only
        ever drops the oldest, and an entry's weight is fixed until its stream adds frames (``_keep`` settles first):
        so the journal settled later holds what it would have held had each entry been weighed as it came. What
        waits is bounded: the headers of at most ``max_bytes`` / 1 kB entries (each counts ``_ENTRY_OVERHEAD``).
        """
        if not self._unsized:
            return
        entries = self._entries
        for entry in list(itertools.islice(entries, len(entries) - self._unsized, None)):
            self._pending -= entry.size
            entry.size += entry.headers_size()
            self._bytes += entry.size
            self._unsized -= 1
            while self._bytes > self.max_bytes and entries[0] is not entry:
                self._evict()

    def _trim(self) -> None:
        """Drop the oldest entries until the journal fits ``max_bytes`` (the lock is held; the newest always stays)."""
        while self._bytes > self.max_bytes and len(self._entries) > 1:
            self._evict()

    @property
    def bytes(self) -> int:
        """Roughly how much the kept entries weigh (characters of bodies, headers and frames)."""
        with self._lock:
            self._settle()
            return self._bytes

    # -- reading ---------------------------------------------------------------------------
    def query(self, *, path: str | None = None, status: str | int | None = None, tenant: str | None = None,
              since: int = 0, limit: int = 100) -> list[Entry]:
        """Entries newest first, filtered by path substring, status (``429``, ``4xx``), tenant and sequence."""
        with self._lock:
            self._settle()
            entries = list(self._entries)
        out = []
        for entry in reversed(entries):
            if entry.seq <= since or (path and path not in entry.path) or (tenant and tenant != entry.tenant):
                continue
            if status is not None and str(status) != "" and not _status_matches(entry.status, str(status)):
                continue
            out.append(entry)
            if len(out) >= limit:
                break
        return out

    def get(self, entry_id: str) -> Entry | None:
        """One entry by request id (or sequence number)."""
        with self._lock:
            self._settle()
            return next((e for e in self._entries if e.id == entry_id or str(e.seq) == entry_id), None)

    def clear(self, tenant: str | None = None) -> int:
        """Forget every entry, or one tenant's; return how many were dropped."""
        with self._lock:
            self._settle()
            dropped = [e for e in self._entries if tenant is None or e.tenant == tenant]
            for entry in dropped:
                entry.evicted = True
                self._bytes -= entry.size
            if tenant is None:
                self._entries.clear()
                self._bytes = 0
            else:
                kept = [e for e in self._entries if e.tenant != tenant]
                self._entries.clear()
                self._entries.extend(kept)
            return len(dropped)

    def subscribe(self, callback: Callable[[Entry], None]) -> Callable[[], None]:
        """Call ``callback`` with each new entry until the returned function is called."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    @property
    def subscriber_count(self) -> int:
        """How many live subscribers there are."""
        return len(self._subscribers)


def _status_matches(status: int, wanted: str) -> bool:
    wanted = wanted.lower()
    if wanted.endswith("xx") and wanted[:1].isdigit():
        return str(status)[:1] == wanted[0]
    if wanted == "error":
        return status >= 400
    return str(status) == wanted
