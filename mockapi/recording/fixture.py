"""The fixture format: one JSON file per recorded exchange, binary answers as a file beside it.

```
{"version": 1, "operation": "createChatCompletion",
 "match": {"mode": "exact", "request": {...the request's meaning, see mockapi/recording/match.py...}},
 "request": {"method": "POST", "path": "/v1/chat/completions", "query": "", "headers": {...scrubbed...}},
 "response": {"status": 200, "headers": [[name, value], ...],
              "body": {...} | "text": "..." | "body_file": "0003-createSpeech.bin"
              | "stream": [{"offset": 0.012, "raw": "data: {...}"}, ...]}}
```
``match.mode`` is ``exact`` (the default), ``subset`` (the fixture's request is a part of the incoming one)
or ``regex`` (like subset, and its strings are regular expressions a value must match in full).
A stream keeps every SSE event as it arrived (``raw`` is the event without its blank-line terminator)
and its arrival ``offset`` in seconds since the request was sent.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1
MATCH_MODES = ("exact", "subset", "regex")


@dataclass
class Fixture:
    """One recorded exchange."""

    operation: str
    match: dict[str, Any]
    request: dict[str, Any]
    response: dict[str, Any]
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        """How the fixture matches: exact, subset or regex."""
        return self.match.get("mode", "exact")

    @property
    def name(self) -> str:
        """The fixture's file name (what messages show)."""
        return self.path.name if self.path else f"<{self.operation}>"

    @property
    def status(self) -> int:
        """The recorded HTTP status."""
        return int(self.response.get("status", 200))

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        return {"version": VERSION, "operation": self.operation, "match": self.match, "request": self.request,
                "response": self.response, **self.extra}

    def binary(self) -> bytes | None:
        """The bytes of a binary answer, read from the file beside the fixture."""
        name = self.response.get("body_file")
        if not name or self.path is None:
            return None
        return (self.path.parent / name).read_bytes()


def load(path: Path) -> Fixture:
    """Read one fixture file (a clear ValueError naming the file when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable fixture: {exc}") from None
    if not isinstance(data, dict) or "operation" not in data or "response" not in data:
        raise ValueError(f"{path}: a fixture needs 'operation' and 'response'")
    match = data.get("match") or {}
    if match.get("mode", "exact") not in MATCH_MODES:
        raise ValueError(f"{path}: match.mode must be one of {', '.join(MATCH_MODES)}")
    extra = {k: v for k, v in data.items() if k not in ("version", "operation", "match", "request", "response")}
    return Fixture(data["operation"], match, data.get("request") or {}, data["response"], path, extra)


class Cassette:
    """A directory of fixtures: loaded in file-name order (the recording order), appended to as recorded."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self.fixtures: list[Fixture] = []
        self.reload()

    def reload(self) -> None:
        """(Re)read every ``*.json`` fixture of the directory."""
        paths = sorted(self.directory.glob("*.json")) if self.directory.is_dir() else []
        self.fixtures = [load(p) for p in paths]

    def _next_stem(self, operation: str) -> str:
        numbers = [int(m.group(1)) for p in self.directory.glob("*.json") if (m := re.match(r"(\d+)-", p.name))]
        return f"{max(numbers, default=0) + 1:04d}-{operation}"

    def add(self, fixture: Fixture, binary: bytes | None = None) -> Fixture:
        """Write a new fixture (and its binary body) and make it servable at once."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            stem = self._next_stem(fixture.operation)
            if binary is not None:
                (self.directory / f"{stem}.bin").write_bytes(binary)
                fixture.response["body_file"] = f"{stem}.bin"
            fixture.path = self.directory / f"{stem}.json"
            text = json.dumps(fixture.to_json(), indent=2, ensure_ascii=False, sort_keys=False)
            fixture.path.write_text(text + "\n", encoding="utf-8")
            self.fixtures.append(fixture)
        return fixture
