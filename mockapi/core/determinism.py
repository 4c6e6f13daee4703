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
from typing import Any, Iterable, Mapping

# Request fields that describe the transport, not the question; they never change the answer.
TRANSPORT_FIELDS = frozenset({"stream", "stream_options", "user", "metadata", "store", "safety_identifier"})


# One encoder, built once: ``json.dumps`` with these options would build a new one on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def digest(*parts: Any, size: int = 16) -> str:
    """A stable hex digest of JSON-serialisable parts."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        if isinstance(part, (bytes, bytearray)):
            h.update(part)
        elif isinstance(part, str):
            h.update(part.encode())
        elif type(part) is int:
            h.update(str(part).encode())  # the same text json.dumps gives, without its machinery
        else:
            h.update(_CANONICAL.encode(part).encode())
        h.update(b"\x1f")
    return h.hexdigest()


def request_digest(seed: int, operation: str, body: Mapping[str, Any], ignore: Iterable[str] = TRANSPORT_FIELDS) -> str:
    """The digest of a request's meaning: its operation and body minus transport-only fields."""
    skip = set(ignore)
    return digest(seed, operation, {k: v for k, v in body.items() if k not in skip})


def rng(*parts: Any) -> random.Random:
    """A private ``random.Random`` seeded from the digest of ``parts``."""
    return random.Random(int(digest(*parts), 16))


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


_HEX = "0123456789abcdef"
# Two base-62 digits at a time: entry d0 + 62 * d1 is alphabet[d0] + alphabet[d1] (the low digit first).
_ALNUM_PAIRS = tuple(low + high for high in _ALNUM for low in _ALNUM)


def make_id(prefix: str, *parts: Any, length: int = 24, alphabet: str = _ALNUM) -> str:
    """A deterministic object id with the real prefix, e.g. ``chatcmpl-…`` or ``call_…``."""
    hexdigest = digest("id", prefix, *parts, size=32)
    if alphabet == _HEX and 0 <= length <= 64:
        # The base-16 digits least significant first, as the loop below makes them, without a divmod each.
        return prefix + hexdigest[::-1][:length]
    number = int(hexdigest, 16)
    if alphabet == _ALNUM and length >= 0:
        pairs = []
        for _ in range(length >> 1):
            number, index = divmod(number, 3844)
            pairs.append(_ALNUM_PAIRS[index])
        if length & 1:
            pairs.append(_ALNUM[number % 62])
        return prefix + "".join(pairs)
    base = len(alphabet)
    chars = []
    for _ in range(length):
        number, index = divmod(number, base)
        chars.append(alphabet[index])
    return prefix + "".join(chars)
