"""The request journal: a bounded ring buffer of recent exchanges, secrets redacted, with live subscribers."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from mockapi.core.results import Cut, Pause, Reply

from .redaction import (
    SECRET_HEADERS,
    known_secrets,
    mask,
    redact,
    redact_cached,
    redact_header,
    redact_header_cached,
)

__all__ = ["SECRET_HEADERS", "Entry", "Journal", "mask", "redact", "redact_header"]  # redaction's home: .redaction

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request

MAX_BODY = 16 * 1024  # bytes of a request body kept per entry
MAX_REPLY_BODY = 4096  # bytes of a response body kept per entry
MAX_FRAMES = 200  # stream chunks kept per entry
MAX_FRAME = 4096
MAX_STREAM_BYTES = 256 * 1024  # characters of stream frames kept per entry
# A reply may ask for other limits with ``meta["journal_frames"] = (frames, characters)``: a Realtime
# WebSocket session (mockapi/doors/realtime_journal.py) is one entry whose frames are every event of the session.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # the whole journal (config: journal: {max_bytes: 64MB}); oldest entries go first
_ENTRY_OVERHEAD = 1024  # what an entry costs beyond its texts (objects, dicts), roughly


def _text(cut: bytes, size: int, known: tuple[str, ...] = ()) -> str:
    """A body or chunk as the journal shows it: ``cut`` (its first bytes, of ``size``) as text, secrets masked."""
    text = cut.decode("utf-8", errors="replace")
    if size > len(cut):
        text += f"… [{size - len(cut)} more bytes]"
    return redact(text, known)


_SHOWING = threading.Lock()  # one entry's raw values become redacted text once, whoever reads it first


class _Shown:
    """An :class:`Entry` field read as redacted text: the first read of any of them redacts them all (``Entry._show``)."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name  # where the entry keeps the value: raw until shown

    def __get__(self, entry: "Entry | None", owner: type | None = None) -> Any:
        if entry is None:
            return self
        if not entry._shown:
            entry._show()
        return getattr(entry, self.slot)


class Entry:
    """One exchange as the journal keeps it.

    What may hold a secret (query, headers, bodies, stream frames) is kept as it came and redacted the first
    time anyone reads it (the testing API, the control plane, the inspector, a subscriber): most entries are
    never read, and every way out of the journal goes through these properties. The raw values are the
    request's and reply's own objects, which nothing changes once the observers have run.
    The path and the tenant are redacted at once: the journal filters on them. The request id, the duration
    and the retry count are read from the headers when first asked for (``_learn``).
    """

    __slots__ = ("seq", "time", "method", "path", "tenant", "status", "operation", "stream", "frames_dropped",
                 "done", "violations", "fault", "truncated", "size", "evicted", "max_frames", "max_stream_bytes",
                 "_known", "_shown", "_query", "_request_headers", "_request_body", "_request_body_size",
                 "_response_headers", "_response_body", "_response_body_size", "_frames", "_frames_shown",
                 "_learnt", "_id", "_duration_ms", "_retry_count")

    def __init__(self, time: float, method: str, path: str, query: str, tenant: str, status: int, operation: str | None,
                 request_headers: Mapping[str, str], request_body: bytes, response_headers: list[tuple[str, str]],
                 response_body: bytes, stream: bool, violations: list[str], fault: str | None,
                 frames: tuple[int, int] | None, known: tuple[str, ...]) -> None:
        self.seq, self.time, self.method, self.path, self.tenant, self.status = 0, time, method, path, tenant, status
        self.operation, self.stream, self.done, self.frames_dropped = operation, stream, not stream, 0
        self.violations, self.fault, self.evicted, self._known, self._shown = violations, fault, False, known, False
        self.max_frames, self.max_stream_bytes = frames or (MAX_FRAMES, MAX_STREAM_BYTES)
        self._query, self._request_headers, self._response_headers = query, request_headers, response_headers
        self._request_body_size, self._response_body_size = size, reply_size = len(request_body), len(response_body)
        self.truncated = size > MAX_BODY or reply_size > MAX_REPLY_BODY
        self._request_body = request_body[:MAX_BODY] if size > MAX_BODY else request_body
        self._response_body = response_body[:MAX_REPLY_BODY] if reply_size > MAX_REPLY_BODY else response_body
        self._frames: list[Any] = []  # bytes until read, then their redacted text (in place)
        self._frames_shown = 0
        self._learnt = False
        # Characters kept, roughly its memory (raw lengths); counted against the journal's max_bytes.
        self.size = _ENTRY_OVERHEAD + len(self._request_body) + len(self._response_body) + len(path) + len(query) \
            + sum(map(len, request_headers)) + sum(map(len, request_headers.values())) \
            + sum(map(len, itertools.chain.from_iterable(response_headers)))

    def _learn(self) -> None:
        """Read the request id, the duration and the retry count from the raw headers (once; any reader may)."""
        request_id = processing = None
        for name, value in self._response_headers:  # the first of each, as ``Reply.header`` reads them
            if name == "openai-processing-ms":
                processing = value if processing is None else processing
            elif request_id is None and len(name) == 12 and name.lower() == "x-request-id":
                request_id = value
        retry = self._request_headers.get("x-stainless-retry-count")
        self._id = request_id or ""
        self._duration_ms = float(processing) if processing and processing.isdigit() else 0.0
        self._retry_count = int(retry) if retry and retry.isdigit() else None
        self._learnt = True

    @property
    def id(self) -> str:
        """The reply's ``x-request-id`` ('' when it had none)."""
        if not self._learnt:
            self._learn()
        return self._id

    @property
    def duration_ms(self) -> float:
        """Server time: the reply's ``openai-processing-ms``, or for a stream how long it ran, if longer."""
        if not self._learnt:
            self._learn()
        return self._duration_ms

    @duration_ms.setter
    def duration_ms(self, value: float) -> None:
        if not self._learnt:
            self._learn()
        self._duration_ms = value

    @property
    def retry_count(self) -> int | None:
        """The SDK's ``x-stainless-retry-count``, when it sent one."""
        if not self._learnt:
            self._learn()
        return self._retry_count

    def _show(self) -> None:
        """Replace the raw values by their redacted text (once)."""
        with _SHOWING:
            if self._shown:
                return
            if not self._learnt:
                self._learn()  # from the raw headers, before they are redacted
            known = self._known
            self._query = redact(self._query, known)
            self._request_headers = {k: redact_header_cached(k, v, known) for k, v in self._request_headers.items()}
            self._request_body = _text(self._request_body, self._request_body_size, known)
            self._response_headers = [(k, redact_header_cached(k, v, known)) for k, v in self._response_headers]
            self._response_body = _text(self._response_body, self._response_body_size, known)
            self._shown = True

    query = _Shown("The query string (secrets masked).")
    request_headers = _Shown("The request headers (credentials masked).")
    request_body = _Shown("The request body as text, cut to :data:`MAX_BODY` bytes (secrets masked).")
    response_headers = _Shown("The reply headers (credentials masked).")
    response_body = _Shown("The reply body as text, cut to :data:`MAX_REPLY_BODY` bytes (secrets masked).")

    @property
    def frames(self) -> list[str]:
        """The stream chunks recorded so far, as text (secrets masked)."""
        frames = self._frames
        count = len(frames)  # a stream may add more while this reads: those wait for the next read
        if self._frames_shown < count:
            with _SHOWING:
                for i in range(self._frames_shown, count):
                    if not isinstance(frames[i], str):
                        frames[i] = _text(frames[i], len(frames[i]), self._known)
                self._frames_shown = max(self._frames_shown, count)
        return frames[:count]

    def summary(self) -> dict[str, Any]:
        """The fields a list shows."""
        return {"seq": self.seq, "id": self.id, "time": self.time, "method": self.method, "path": self.path,
                "tenant": self.tenant, "status": self.status, "operation": self.operation, "stream": self.stream,
                "duration_ms": round(self.duration_ms, 3), "violations": list(self.violations), "fault": self.fault,
                "retry_count": self.retry_count, "done": self.done, "truncated": self.truncated}

    def to_dict(self) -> dict[str, Any]:
        """Everything kept about the exchange."""
        return {**self.summary(), "query": self.query, "request_headers": dict(self.request_headers),
                "request_body": self.request_body, "response_headers": [list(h) for h in self.response_headers],
                "response_body": self.response_body, "frames": self.frames, "frames_dropped": self.frames_dropped}

    def __repr__(self) -> str:
        return f"Entry(seq={self.seq}, id={self.id!r}, {self.method} {self.path} -> {self.status}, tenant={self.tenant!r})"


class Journal:
    """Recent exchanges, oldest dropped first; subscribers hear of each new one."""

    def __init__(self, engine: "Engine", size: int = 1000, max_bytes: int | None = None) -> None:
        self.engine = engine
        if max_bytes is None:
            from mockapi.core.limits import parse_size

            configured = (engine.settings.extra.get("journal") or {}).get("max_bytes", DEFAULT_MAX_BYTES)
            max_bytes = parse_size(configured, "journal.max_bytes")
        self.max_bytes = max(1, int(max_bytes))
        self._bytes = 0
        self._entries: deque[Entry] = deque(maxlen=max(1, int(size)))
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[Entry], None]] = []
        self.known = tuple(sorted(known_secrets(engine.settings), key=len, reverse=True))  # configured keys, admin token

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """How many entries the ring holds at most."""
        return self._entries.maxlen or 0

    def observe(self, request: "Request", call: "Call | None", reply: Reply) -> None:
        """Record one answered request (an engine observer)."""
        started = time.perf_counter()
        entry = self._entry(request, call, reply)
        if reply.stream is not None:
            reply.stream = self._capture(entry, reply.stream, started)
        with self._lock:
            entry.seq = next(self._seq)
            if len(self._entries) == self._entries.maxlen:
                self._evict()
            self._entries.append(entry)
            self._bytes += entry.size
            self._trim()
            subscribers = list(self._subscribers) if self._subscribers else ()
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
        violations = []
        if error is not None and reply.status == 400 and not fault:  # an injected 400 breaks no contract
            violations.append(redact(f"{getattr(error, 'param', None) or '<body>'}: {getattr(error, 'message', error)}", known))
        body = request.body if request.body else b"" if request.body_file is None else b"<multipart upload>"
        return Entry(self.engine.clock.now(), request.method, redact_cached(request.path, known), request.query,
                     redact_cached(call.tenant if call else self._tenant(request), known),  # a header may carry a key
                     reply.status, call.op.operation_id if call else None, request.headers, body, reply.headers,
                     reply.body, reply.stream is not None, violations, fault, meta.get("journal_frames"), known)

    def _tenant(self, request: "Request") -> str:
        try:
            return self.engine.authenticate(request.headers)[0]
        except Exception:  # no or a bad key: the journal still shows the request
            return "-"

    def _capture(self, entry: Entry, chunks: Iterator[Any], started: float) -> Iterator[Any]:
        # Runs for every chunk of every stream: frames are kept raw (redacted when read, Entry.frames), and once
        # ``max_frames`` are kept the rest are only counted.
        frames = entry._frames
        chunks = iter(chunks)
        try:
            for chunk in chunks:
                if len(frames) >= entry.max_frames:
                    chunks = itertools.chain((chunk,), chunks)
                    break
                if isinstance(chunk, bytes):
                    size = len(chunk)
                    if size > MAX_FRAME:  # rare: cut (and so redacted) now
                        entry.truncated = True
                        self._frame(entry, _text(chunk[:MAX_FRAME], size, self.known))
                    else:
                        self._frame(entry, chunk)  # raw: redacted when read
                elif isinstance(chunk, Cut):
                    self._frame(entry, f"[connection dropped: {chunk.reason}]")
                elif not isinstance(chunk, Pause):
                    self._frame(entry, repr(chunk)[:MAX_FRAME])
                yield chunk
            for chunk in chunks:  # the frame bound was reached: what is left is counted, not kept
                if not isinstance(chunk, Pause):
                    entry.frames_dropped += 1
                    entry.truncated = True
                yield chunk
        finally:
            entry.done = True
            entry.duration_ms = max(entry.duration_ms, (time.perf_counter() - started) * 1000)

    def _frame(self, entry: Entry, frame: bytes | str) -> None:
        """Keep one chunk (raw bytes, or text shown as it is) while the entry has room for it."""
        size = len(frame)
        if len(entry._frames) < entry.max_frames and entry.size + size <= entry.max_stream_bytes:
            self._keep(entry, frame, size)
        else:
            entry.frames_dropped += 1
            entry.truncated = True

    def _keep(self, entry: Entry, frame: bytes | str, size: int) -> None:
        with self._lock:
            entry._frames.append(frame)
            entry.size += size
            if not entry.evicted:
                self._bytes += size
                if self._bytes > self.max_bytes:
                    self._trim()

    def _evict(self) -> None:
        """Drop the oldest entry (the lock is held)."""
        old = self._entries.popleft()
        old.evicted = True
        self._bytes -= old.size

    def _trim(self) -> None:
        """Drop the oldest entries until the journal fits ``max_bytes`` (the lock is held; the newest always stays)."""
        while self._bytes > self.max_bytes and len(self._entries) > 1:
            self._evict()

    @property
    def bytes(self) -> int:
        """Roughly how much the kept entries weigh (characters of bodies, headers and frames)."""
        return self._bytes

    # -- reading ---------------------------------------------------------------------------
    def query(self, *, path: str | None = None, status: str | int | None = None, tenant: str | None = None,
              since: int = 0, limit: int = 100) -> list[Entry]:
        """Entries newest first, filtered by path substring, status (``429``, ``4xx``), tenant and sequence."""
        with self._lock:
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
            return next((e for e in self._entries if e.id == entry_id or str(e.seq) == entry_id), None)

    def clear(self, tenant: str | None = None) -> int:
        """Forget every entry, or one tenant's; return how many were dropped."""
        with self._lock:
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
