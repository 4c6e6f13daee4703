"""The request journal: a bounded ring buffer of recent exchanges, secrets redacted, with live subscribers."""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from mockapi.core.results import Cut, Pause, Reply

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request

MAX_BODY = 16 * 1024  # characters of a request or response body kept per entry
MAX_FRAMES = 200  # stream chunks kept per entry
MAX_FRAME = 4096
SECRET_HEADERS = frozenset({"authorization", "api-key", "proxy-authorization", "cookie", "x-mockapi-admin-token"})
_KEY = re.compile(r"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{4,}")


def mask(secret: str) -> str:
    """A secret as the journal shows it: a known prefix, stars and at most its last four characters."""
    prefix = next((p for p in ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-") if secret.startswith(p)), "")
    tail = secret[-4:] if len(secret) - len(prefix) >= 12 else ""
    return f"{prefix}****{tail}"


def redact(text: str) -> str:
    """``text`` with every ``sk-…`` key masked."""
    return _KEY.sub(lambda m: mask(m.group(0)), text) if "sk-" in text else text


def redact_header(name: str, value: str) -> str:
    """A header value safe to keep: credentials masked whatever their shape."""
    if name.lower() in SECRET_HEADERS:
        scheme, _, token = value.partition(" ")
        return f"{scheme} {mask(token.strip())}" if token else mask(value)
    return redact(value)


def _kept_header(name: str, value: str) -> str:
    """``redact_header`` for every header of every request: the common case (nothing secret) costs two checks."""
    return redact_header(name, value) if "sk-" in value or name.lower() in SECRET_HEADERS else value


def _text(raw: bytes, limit: int = MAX_BODY) -> str:
    text = raw[:limit].decode("utf-8", errors="replace")
    if len(raw) > limit:
        text += f"… [{len(raw) - limit} more bytes]"
    return redact(text)


@dataclass
class Entry:
    """One exchange as the journal keeps it."""

    seq: int
    id: str
    time: float
    method: str
    path: str
    query: str
    tenant: str
    status: int
    operation: str | None
    request_headers: dict[str, str]
    request_body: str
    response_headers: list[tuple[str, str]]
    response_body: str = ""
    stream: bool = False
    frames: list[str] = field(default_factory=list)
    frames_dropped: int = 0
    done: bool = True
    duration_ms: float = 0.0
    violations: list[str] = field(default_factory=list)
    fault: str | None = None
    retry_count: int | None = None

    def summary(self) -> dict[str, Any]:
        """The fields a list shows."""
        return {"seq": self.seq, "id": self.id, "time": self.time, "method": self.method, "path": self.path,
                "tenant": self.tenant, "status": self.status, "operation": self.operation, "stream": self.stream,
                "duration_ms": round(self.duration_ms, 3), "violations": list(self.violations), "fault": self.fault,
                "retry_count": self.retry_count, "done": self.done}

    def to_dict(self) -> dict[str, Any]:
        """Everything kept about the exchange."""
        return {**self.summary(), "query": self.query, "request_headers": dict(self.request_headers),
                "request_body": self.request_body, "response_headers": [list(h) for h in self.response_headers],
                "response_body": self.response_body, "frames": list(self.frames), "frames_dropped": self.frames_dropped}


class Journal:
    """Recent exchanges, oldest dropped first; subscribers hear of each new one."""

    def __init__(self, engine: "Engine", size: int = 1000) -> None:
        self.engine = engine
        self._entries: deque[Entry] = deque(maxlen=max(1, int(size)))
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[Entry], None]] = []

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
            self._entries.append(entry)
            subscribers = list(self._subscribers)
        for notify in subscribers:
            try:
                notify(entry)
            except Exception:  # a broken subscriber must not break the API
                logging.getLogger("mockapi").exception("journal subscriber failed")

    def _entry(self, request: "Request", call: "Call | None", reply: Reply) -> Entry:
        headers = {k: _kept_header(k, v) for k, v in request.headers.items()}
        retry = request.headers.get("x-stainless-retry-count")
        error = reply.meta.get("error")
        violations = []
        fault = (call.meta.get("fault_spec") if call else None) or reply.meta.get("fault_spec")
        if error is not None and reply.status == 400 and not fault:  # an injected 400 breaks no contract
            violations.append(f"{getattr(error, 'param', None) or '<body>'}: {getattr(error, 'message', error)}")
        processing = next((v for k, v in reply.headers if k == "openai-processing-ms"), "0")
        body = request.body if request.body else b"" if request.body_file is None else b"<multipart upload>"
        return Entry(
            seq=0, id=reply.header("x-request-id") or "", time=self.engine.clock.now(), method=request.method,
            path=request.path, query=redact(request.query), tenant=call.tenant if call else self._tenant(request),
            status=reply.status, operation=call.op.operation_id if call else None, request_headers=headers,
            request_body=_text(body), response_headers=[(k, _kept_header(k, v)) for k, v in reply.headers],
            response_body=_text(reply.body, 4096), stream=reply.stream is not None, done=reply.stream is None,
            duration_ms=float(processing) if processing.isdigit() else 0.0, violations=violations,
            fault=fault,
            retry_count=int(retry) if retry and retry.isdigit() else None,
        )

    def _tenant(self, request: "Request") -> str:
        try:
            return self.engine.authenticate(request.headers)[0]
        except Exception:  # no or a bad key: the journal still shows the request
            return "-"

    def _capture(self, entry: Entry, chunks: Iterator[Any], started: float) -> Iterator[Any]:
        try:
            for chunk in chunks:
                if isinstance(chunk, bytes):
                    self._frame(entry, _text(chunk, MAX_FRAME))
                elif isinstance(chunk, Cut):
                    self._frame(entry, f"[connection dropped: {chunk.reason}]")
                elif not isinstance(chunk, Pause):
                    self._frame(entry, repr(chunk)[:MAX_FRAME])
                yield chunk
        finally:
            entry.done = True
            entry.duration_ms = max(entry.duration_ms, (time.perf_counter() - started) * 1000)

    @staticmethod
    def _frame(entry: Entry, text: str) -> None:
        if len(entry.frames) < MAX_FRAMES:
            entry.frames.append(text)
        else:
            entry.frames_dropped += 1

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

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

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
