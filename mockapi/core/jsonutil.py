"""JSON encoding in one place: orjson when installed (fast), the standard library otherwise."""

from __future__ import annotations

import json
from typing import Any, Callable

try:  # orjson is a speed-up where it has a wheel; output is the same compact JSON.
    import orjson as _orjson

    HAS_ORJSON = True
except ImportError:  # pragma: no cover - exercised only without it
    HAS_ORJSON = False


def _standard_dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON bytes, from the standard library."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# orjson's own functions, not wrappers around them: a stream calls ``dumps`` once per chunk, and a Python frame
# around a C call costs about as much as the call. (Names bound to functions, not functions redefined: this module
# is compiled, see mockapi/core/compiled.py.)
dumps: Callable[[Any], bytes] = _orjson.dumps if HAS_ORJSON else _standard_dumps
"""Compact UTF-8 JSON bytes."""
loads: Callable[[bytes | str], Any] = _orjson.loads if HAS_ORJSON else json.loads
"""Parse JSON text."""


def right_sized(data: bytes) -> bytes:
    """``data`` copied into an allocation of its own length, for bytes that are kept (a journal, a cache key).

    orjson 3.12 and later return their whole write buffer behind the bytes, 4 kB at least and 16 kB for a 1.3 kB
    Responses body, and do not trim it (ijl/orjson c2a6e8ff7b89; home-assistant/core#181245 measured it): a kept result
    keeps all of it, ten times what its length says. A reply on its way out is freed at once and needs no copy.
    """
    return bytes(memoryview(data))


# The canonical text digests are made of: sorted keys, compact, ASCII, anything else as str(). One encoder,
# built once: ``json.dumps`` with these options would build a new one on every call.
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)

# What orjson writes differently from the standard encoders (compact, ASCII): exponents ("1e-05" there, "0.00001"
# here, so any run of four zeros after a point), DEL (escaped there) and anything outside ASCII (escaped there);
# and, for a value not parsed from JSON, NaN and the infinities, which orjson writes as null. Asked with substring
# searches (C, memchr speed): the regex rb"[0-9][eE]|0\.0000|\x7f" tried its branches at every byte, ~170
# instructions a byte, the costliest step of digesting a request body. With every digit made "0", "a digit, then
# e or E" is "0e" or "0E" in the translated bytes.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_PASSTHROUGH = (_orjson.OPT_PASSTHROUGH_DATACLASS | _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_SUBCLASS
                if HAS_ORJSON else 0)
_SORTED_PASSTHROUGH = _PASSTHROUGH | _orjson.OPT_SORT_KEYS if HAS_ORJSON else 0


def _orjson_risk(data: bytes, parsed: bool) -> bool:
    """Whether orjson's bytes may differ from the standard encoder's (``parsed``: no NaN or infinity can be there)."""
    if b"\x7f" in data or b"0.0000" in data or (not parsed and b"null" in data):
        return True
    digits = data.translate(_DIGITS_AS_ZERO)
    return b"0e" in digits or b"0E" in digits


def standard_json(value: Any, encoder: json.JSONEncoder, *, sort_keys: bool = False, parsed: bool = True) -> bytes:
    """``encoder.encode(value)`` as bytes (a compact, ASCII encoder), from orjson when its bytes are certainly the same.

    The standard encoder was most of the cost where it runs per request (digests, tool arguments). orjson's output
    is the same text except in the cases the risk patterns spot, which take ``encoder``; so does a value orjson
    refuses or would write its own way (a huge integer, a key that is not a string, a dataclass, a date, a
    subclass of a JSON type). ``parsed``: the value came from JSON text, so it holds no NaN or infinity.
    """
    if HAS_ORJSON:
        try:
            data = _orjson.dumps(value, option=_SORTED_PASSTHROUGH if sort_keys else _PASSTHROUGH)
        except TypeError:
            pass
        else:
            if data.isascii() and not _orjson_risk(data, parsed):
                return data
    return encoder.encode(value).encode()


def canonical_json(value: Any) -> bytes:
    """The canonical encoder's bytes for a parsed JSON value (sorted keys, compact, ASCII): request bodies are digested on every call."""
    return standard_json(value, CANONICAL, sort_keys=True)
