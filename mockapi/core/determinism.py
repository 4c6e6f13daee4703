"""One seeded source of randomness: every random choice derives from (seed, request digest, purpose).

Deriving instead of sharing one global stream means a request's answer does not depend on
which requests came before it, so the same request always says the same thing. Ids are the
exception by design: they derive from the call's identity (``Call.id_digest``: the content
digest and how many identical calls came before), so every call is its own object and the
same sequence of requests gives the same ids.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any, Iterable, Mapping

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - the fallback install
    _orjson = None

# Request fields that describe the transport, not the question; they never change the answer.
TRANSPORT_FIELDS = frozenset({"stream", "stream_options", "user", "metadata", "store", "safety_identifier"})


# One encoder, built once: ``json.dumps`` with these options would build a new one on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def digest(*parts: Any, size: int = 16) -> str:
    """A stable hex digest of JSON-serialisable parts."""
    # Each part's text then a unit separator, hashed in one update (the same bytes as one update per piece).
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part.encode())
        elif isinstance(part, (bytes, bytearray)):
            pieces.append(part)
        elif type(part) is int:
            pieces.append(str(part).encode())  # the same text json.dumps gives, without its machinery
        else:
            pieces.append(_CANONICAL.encode(part).encode())
    pieces.append(b"")
    return hashlib.blake2b(b"\x1f".join(pieces), digest_size=size).hexdigest()


def request_digest(seed: int, operation: str, body: Mapping[str, Any], ignore: Iterable[str] = TRANSPORT_FIELDS) -> str:
    """The digest of a request's meaning: its operation and body minus transport-only fields."""
    skip = ignore if isinstance(ignore, (set, frozenset)) else set(ignore)
    return digest(seed, operation, canonical_json({k: v for k, v in body.items() if k not in skip}))


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
    return _CANONICAL.encode(value).encode()


def rng(*parts: Any) -> random.Random:
    """A private ``random.Random`` seeded from the digest of ``parts``."""
    return random.Random(int(digest(*parts), 16))


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


HEX = "0123456789abcdef"  # the alphabet of ids the real API writes in hex (``resp_…``, ``conv_…``, ``cntr_…``)

# Base-62 digits four at a time: one big-number division by 62**4, then a table of the 3,844 digit pairs (low
# digit first), a quarter of the divisions of one digit at a time. The same digits, so the same ids.
_PAIRS = tuple(_ALNUM[i % 62] + _ALNUM[i // 62] for i in range(62 * 62))
_FOUR_DIGITS = 62 ** 4


def make_id(prefix: str, *parts: Any, length: int = 24, alphabet: str = _ALNUM) -> str:
    """A deterministic object id with the real prefix, e.g. ``chatcmpl-…`` or ``call_…``."""
    hexdigest = digest("id", prefix, *parts, size=32)
    if alphabet == HEX and 0 <= length <= 64:
        # The base-16 digits least significant first, as the loop below makes them, without a divmod each.
        return prefix + hexdigest[::-1][:length]
    number = int(hexdigest, 16)
    if alphabet is _ALNUM:
        pieces = []
        for _ in range((length + 3) // 4):
            number, four = divmod(number, _FOUR_DIGITS)
            high, low = divmod(four, 3844)
            pieces.append(_PAIRS[low])
            pieces.append(_PAIRS[high])
        return prefix + "".join(pieces)[:length]
    base = len(alphabet)
    chars = []
    for _ in range(length):
        number, index = divmod(number, base)
        chars.append(alphabet[index])
    return prefix + "".join(chars)
