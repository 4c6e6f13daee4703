"""One journal entry (:mod:`mockapi.traffic.journal`): an exchange as kept, its secrets redacted when first read."""

from __future__ import annotations

import itertools
import threading
from typing import Any, Mapping

from mockapi.core.jsonutil import right_sized

from .redaction import redact, redact_header_cached

MAX_BODY = 16 * 1024  # bytes of a request body kept per entry
MAX_REPLY_BODY = 4096  # bytes of a response body kept per entry
MAX_FRAMES = 200  # stream chunks kept per entry
MAX_FRAME = 4096
MAX_STREAM_BYTES = 256 * 1024  # characters of stream frames kept per entry
# A reply may ask for other limits with ``meta["journal_frames"] = (frames, characters)``: a Realtime
# WebSocket session (mockapi/doors/realtime_journal.py) is one entry whose frames are every event of the session.
_ENTRY_OVERHEAD = 1024  # what an entry costs beyond its texts (objects, dicts), roughly


def _text(cut: bytes, size: int, known: tuple[str, ...] = ()) -> str:
    """A body or chunk as the journal shows it: ``cut`` (its first bytes, of ``size``) as text, secrets masked."""
    text = cut.decode("utf-8", errors="replace")
    if size > len(cut):
        text += f"… [{size - len(cut)} more bytes]"
    return redact(text, known)


_SHOWING = threading.Lock()  # one entry's raw values become redacted text once, whoever reads it first


class _Deferred:
    """An :class:`Entry` field worked out when first read: the first read (or write) of any field of its group does
    the whole group's work, ``_show`` (the raw texts redacted) or ``_learn`` (facts read from the raw headers)."""

    def __init__(self, doc: str, done: str, work: str) -> None:
        self.__doc__, self.done, self.work = doc, done, work  # the entry's flag and method of the group

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name  # where the entry keeps the value

    def __get__(self, entry: "Entry | None", owner: type | None = None) -> Any:
        if entry is None:
            return self
        if not getattr(entry, self.done):
            getattr(entry, self.work)()
        return getattr(entry, self.slot)

    def __set__(self, entry: "Entry", value: Any) -> None:
        if not getattr(entry, self.done):
            getattr(entry, self.work)()  # first, so that the group's work cannot overwrite the value later
        setattr(entry, self.slot, value)


def _redacted_on_read(doc: str) -> _Deferred:
    """A field that may hold a secret: kept raw, redacted when any such field is first read."""
    return _Deferred(doc, "_shown", "_show")


def _from_headers(doc: str) -> _Deferred:
    """A fact of the raw headers, read from them when any such fact is first asked for."""
    return _Deferred(doc, "_learnt", "_learn")


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
                 "done", "_violations", "fault", "truncated", "size", "evicted", "max_frames", "max_stream_bytes",
                 "_known", "_shown", "_query", "_request_headers", "_request_body", "_request_body_size",
                 "_response_headers", "_response_body", "_response_body_size", "_frames", "_frames_shown",
                 "_learnt", "_id", "_duration_ms", "_retry_count")

    def __init__(self, time: float, method: str, path: str, query: str, tenant: str, status: int, operation: str | None,
                 request_headers: Mapping[str, str], request_body: bytes, response_headers: list[tuple[str, str]],
                 response_body: bytes, stream: bool, violations: list[str] | None, fault: str | None,
                 frames: tuple[int, int], known: tuple[str, ...]) -> None:
        self.seq, self.time, self.method, self.path, self.tenant, self.status = 0, time, method, path, tenant, status
        self.operation, self.stream, self.done, self.frames_dropped = operation, stream, not stream, 0
        self._violations, self.fault, self.evicted, self._known, self._shown = violations, fault, False, known, False
        self.max_frames, self.max_stream_bytes = frames
        self._query, self._request_headers, self._response_headers = query, request_headers, response_headers
        self._request_body_size, self._response_body_size = size, reply_size = len(request_body), len(response_body)
        self.truncated = size > MAX_BODY or reply_size > MAX_REPLY_BODY
        # Kept as copies of their own length: the reply's bytes come from orjson, whose spare buffer (4-16 kB behind
        # a body of 1 kB) would otherwise stay with every entry, beyond what ``size`` counts (jsonutil.right_sized).
        self._request_body: bytes | str = request_body[:MAX_BODY] if size > MAX_BODY else right_sized(request_body)
        self._response_body: bytes | str = (response_body[:MAX_REPLY_BODY] if reply_size > MAX_REPLY_BODY
                                            else right_sized(response_body))
        # A stream's chunks: bytes until read, then their redacted text (in place). Only a stream adds frames
        # (``Journal._capture``): any other entry shares the empty tuple, one object fewer kept per exchange.
        self._frames: Any = [] if stream else ()
        self._frames_shown = 0
        self._learnt = False
        # Characters kept, roughly its memory (raw lengths); counted against the journal's max_bytes. The headers'
        # part is added by the journal when it settles its accounts (``Journal._settle``, ``headers_size``).
        self.size = _ENTRY_OVERHEAD + len(self._request_body) + len(self._response_body) + len(path) + len(query)

    def headers_size(self) -> int:
        """The characters of the raw request and reply headers (a part of ``size``)."""
        request_headers = self._request_headers
        return sum(map(len, request_headers)) + sum(map(len, request_headers.values())) \
            + sum(map(len, itertools.chain.from_iterable(self._response_headers)))

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

    id = _from_headers("The reply's ``x-request-id`` ('' when it had none).")
    duration_ms = _from_headers("Server time: the reply's ``openai-processing-ms``, or for a stream how long it ran, if longer.")
    retry_count = _from_headers("The SDK's ``x-stainless-retry-count``, when it sent one.")

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
            self._request_body = _text(self._request_body, self._request_body_size, known)  # type: ignore[arg-type]
            self._response_headers = [(k, redact_header_cached(k, v, known)) for k, v in self._response_headers]
            self._response_body = _text(self._response_body, self._response_body_size, known)  # type: ignore[arg-type]
            self._shown = True

    query = _redacted_on_read("The query string (secrets masked).")
    request_headers = _redacted_on_read("The request headers (credentials masked).")
    request_body = _redacted_on_read("The request body as text, cut to :data:`MAX_BODY` bytes (secrets masked).")
    response_headers = _redacted_on_read("The reply headers (credentials masked).")
    response_body = _redacted_on_read("The reply body as text, cut to :data:`MAX_REPLY_BODY` bytes (secrets masked).")

    @property
    def violations(self) -> list[str]:
        """The contract violations of the request (the reason a 400 gave), as text (secrets masked)."""
        found = self._violations
        if found is None:  # none were found: the list is made when first read
            found = self._violations = []
        return found

    @property
    def frames(self) -> list[str]:
        """The stream chunks recorded so far, as text (secrets masked)."""
        frames = self._frames
        count = len(frames)  # a stream may add more while this reads: those wait for the next read
        if not count:
            return []
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
