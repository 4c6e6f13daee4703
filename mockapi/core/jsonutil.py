"""JSON encoding in one place: orjson when installed (fast), the standard library otherwise."""

from __future__ import annotations

import json
from typing import Any

try:  # orjson is an optional speed-up (the `fast` extra); output is the same compact JSON.
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only without the extra
    _orjson = None


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON bytes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


if _orjson is not None:
    # orjson's own function, not a wrapper around it: a stream calls this once per chunk, and a Python
    # frame around a C call costs about as much as the call.
    dumps = _orjson.dumps  # noqa: F811


def loads(data: bytes | str) -> Any:
    """Parse JSON text."""
    if _orjson is not None:
        return _orjson.loads(data)
    return json.loads(data)
