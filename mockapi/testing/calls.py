"""The calls one test made, read from the engine's journal, with assertion helpers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator, Sequence, overload

if TYPE_CHECKING:
    from mockapi.traffic.journal import Entry, Journal


class RecordedCall:
    """One request the mock answered, as the journal kept it (secrets redacted)."""

    def __init__(self, entry: "Entry") -> None:
        self.entry = entry

    method = property(lambda self: self.entry.method, doc="The HTTP method.")
    path = property(lambda self: self.entry.path, doc="The URL path the mock saw, e.g. ``/v1/chat/completions``.")
    status = property(lambda self: self.entry.status, doc="The reply's status code.")
    operation = property(lambda self: self.entry.operation, doc="The contract operationId, e.g. ``createChatCompletion``.")
    headers = property(lambda self: self.entry.request_headers, doc="The request headers (credentials masked).")
    stream = property(lambda self: self.entry.stream, doc="Whether the reply was a stream.")

    @property
    def retry_count(self) -> int:
        """The SDK's ``x-stainless-retry-count`` (0 for a first attempt or a client that does not send it)."""
        return self.entry.retry_count or 0

    @property
    def json(self) -> Any:
        """The request body as JSON."""
        return _decode(self.entry.request_body, f"the request body of {self}")

    @property
    def response_json(self) -> Any:
        """The reply body as JSON (not for streams)."""
        return _decode(self.entry.response_body, f"the reply body of {self}")

    @property
    def frames(self) -> list[str]:
        """The SSE frames sent so far, for a stream."""
        return list(self.entry.frames)

    def __repr__(self) -> str:
        retry = f" (retry {self.retry_count})" if self.retry_count else ""
        fault = f" [fault {self.entry.fault}]" if self.entry.fault else ""
        return f"{self.method} {self.path} -> {self.status}{retry}{fault}"


class Calls(Sequence[RecordedCall]):
    """This test's requests in order (a live view of the journal)."""

    def __init__(self, journal: "Journal") -> None:
        self._journal = journal

    def _all(self) -> list[RecordedCall]:
        return [RecordedCall(e) for e in reversed(self._journal.query(limit=self._journal.size))]

    def __len__(self) -> int:
        return len(self._journal)

    @overload
    def __getitem__(self, index: int) -> RecordedCall: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedCall]: ...
    def __getitem__(self, index: int | slice) -> RecordedCall | list[RecordedCall]:
        return self._all()[index]

    def __iter__(self) -> Iterator[RecordedCall]:
        return iter(self._all())

    @property
    def last(self) -> RecordedCall:
        """The most recent call (AssertionError when there is none)."""
        calls = self._all()
        assert calls, "mockapi received no calls in this test"
        return calls[-1]

    @property
    def retry_count(self) -> int:
        """The last call's ``x-stainless-retry-count``: how many retries the SDK needed for it."""
        return self.last.retry_count

    def to(self, path: str, method: str | None = None) -> list[RecordedCall]:
        """The calls to ``path`` (a path suffix such as ``/chat/completions``, or an operationId)."""
        return [c for c in self._all() if _matches(c, path, method)]

    def assert_called(self, path: str, times: int | None = None, method: str | None = None) -> list[RecordedCall]:
        """Assert ``path`` was called (exactly ``times`` times when given); return those calls."""
        found = self.to(path, method)
        what = f"{method + ' ' if method else ''}{path}"
        if times is None and not found:
            raise AssertionError(f"mockapi: expected a call to {what}, got none.\n{self.describe()}")
        if times is not None and len(found) != times:
            raise AssertionError(f"mockapi: expected {what} to be called {_times(times)}, it was called "
                                 f"{_times(len(found))}.\n{self.describe()}")
        return found

    def assert_not_called(self, path: str, method: str | None = None) -> None:
        """Assert ``path`` was never called."""
        self.assert_called(path, times=0, method=method)

    def describe(self) -> str:
        """A numbered list of this test's calls, for failure messages."""
        calls = self._all()
        if not calls:
            return "Calls in this test: none."
        return "Calls in this test:\n" + "\n".join(f"  {i}. {c!r}" for i, c in enumerate(calls, 1))

    def __repr__(self) -> str:
        return f"<Calls {len(self)}: {self._all()!r}>"


def _matches(call: RecordedCall, path: str, method: str | None) -> bool:
    if method and call.method.upper() != method.upper():
        return False
    if not path.startswith("/"):
        return call.operation == path
    return _operation_path(call.path) == _operation_path(path)


def _operation_path(path: str) -> str:
    """``/chat/completions`` for ``/v1/chat/completions`` and Azure's ``/openai/deployments/d/chat/completions``."""
    path = path.rstrip("/")
    for prefix in ("/openai/v1/deployments/", "/openai/deployments/"):
        if path.startswith(prefix):
            return "/" + path[len(prefix):].partition("/")[2]
    for prefix in ("/openai/v1", "/openai", "/v1"):
        if path == prefix or path.startswith(prefix + "/"):
            return path[len(prefix):]
    return path


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _decode(text: str, what: str) -> Any:
    if not text:
        raise AssertionError(f"mockapi: {what} is empty")
    try:
        return json.loads(text)
    except ValueError:
        raise AssertionError(f"mockapi: {what} is not JSON (or was cut to the journal's size): {text[:200]!r}") from None
