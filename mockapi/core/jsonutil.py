"""JSON encoding in one place: orjson when installed (fast), the standard library otherwise."""

from __future__ import annotations

import json
import re
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


# The canonical text digests are made of: sorted keys, compact, ASCII, anything else as str(). One encoder,
# built once: ``json.dumps`` with these options would build a new one on every call.
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)

# What orjson writes differently from the canonical encoder: exponents ("1e-05" there, "0.00001" here, so any
# run of four zeros after a point), DEL (escaped there) and anything outside ASCII (escaped there).
_ORJSON_RISK = re.compile(rb"[0-9][eE]|0\.0000|\x7f")


def canonical_json(value: Any) -> bytes:
    """The canonical encoder's bytes for a parsed JSON value (sorted keys, compact, ASCII), from orjson when it agrees.

    Request bodies are digested on every call, and the standard encoder was most of that cost. orjson's
    sorted output is the same text except in the cases ``_ORJSON_RISK`` spots, which take the standard
    encoder; a value orjson refuses (a huge integer, a key that is not a string) does too.
    """
    if _orjson is not None:
        try:
            data = _orjson.dumps(value, option=_orjson.OPT_SORT_KEYS | _orjson.OPT_PASSTHROUGH_DATACLASS
                                 | _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_SUBCLASS)
        except TypeError:
            pass
        else:
            if data.isascii() and not _ORJSON_RISK.search(data):
                return data
    return CANONICAL.encode(value).encode()
