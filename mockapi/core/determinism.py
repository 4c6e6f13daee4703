"""One seeded source of randomness: every random choice derives from (seed, request digest, purpose).

Deriving instead of sharing one global stream means a request's answer does not depend on
which requests came before it, so the same request always says the same thing. Ids are the
exception by design: they derive from the call's identity (``Call.id_digest``: the content
digest and how many identical calls came before), so every call is its own object and the
same sequence of requests gives the same ids.
"""

from __future__ import annotations

import hashlib
import random
from _random import Random as _CoreRandom  # the C generator random.Random extends
from typing import Any, Iterable, Mapping

from .jsonutil import CANONICAL, canonical_json

# Request fields that describe the transport, not the question; they never change the answer.
TRANSPORT_FIELDS = frozenset({"stream", "stream_options", "user", "metadata", "store", "safety_identifier"})


def digest(*parts: Any, size: int = 16) -> str:
    """A stable hex digest of JSON-serialisable parts."""
    return hashlib.blake2b(digest_text(*parts), digest_size=size).hexdigest()


def digest_text(*parts: Any) -> bytes:
    """The bytes ``digest`` hashes: each part's text followed by ``\\x1f`` (so a hash of them can go on with more parts)."""
    if parts:
        try:  # parts that are all text (most are): one join, one encoding
            return ("\x1f".join(parts) + "\x1f").encode()
        except TypeError:
            pass
    pieces: list[bytes | bytearray] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part.encode())
        elif isinstance(part, (bytes, bytearray)):
            pieces.append(part)
        elif type(part) is int:
            pieces.append(str(part).encode())  # the same text json.dumps gives, without its machinery
        else:
            pieces.append(CANONICAL.encode(part).encode())
    pieces.append(b"")
    return b"\x1f".join(pieces)


def request_digest(seed: int, operation: str, body: Mapping[str, Any], ignore: Iterable[str] = TRANSPORT_FIELDS) -> str:
    """The digest of a request's meaning: its operation and body minus transport-only fields."""
    skip = ignore if isinstance(ignore, (set, frozenset)) else set(ignore)
    body_text = canonical_json({k: v for k, v in body.items() if k not in skip})
    # ``digest(seed, operation, body_text)`` written out: its one-join path takes text only, and a failed join costs
    # an exception on every request.
    return hashlib.blake2b(b"%d\x1f%s\x1f%s\x1f" % (seed, operation.encode(), body_text), digest_size=16).hexdigest()


def rng(*parts: Any) -> random.Random:
    """A private ``random.Random`` seeded from the digest of ``parts``."""
    return seeded(int(digest(*parts), 16))


def seeded(seed: int) -> random.Random:
    """``random.Random(seed)`` for an int ``seed``: the same state, without ``random.py``'s two Python frames.

    ``Random.__init__`` calls ``self.seed(seed)``, which for an int is the C generator's seed and ``gauss_next = None``.
    """
    generator = random.Random.__new__(random.Random)
    _CoreRandom.seed(generator, seed)
    setattr(generator, "gauss_next", None)  # noqa: B010 - random.py's own attribute, not in its type stubs
    return generator


def below(r: random.Random, n: int) -> int:
    """``r.randrange(n)`` for ``n > 0``: the same number from the same state, without ``random.py``'s Python frames.

    ``randrange(n)`` and ``randint(a, b)`` end in ``_randbelow_with_getrandbits``: ``n.bit_length()`` bits at a time
    until a draw falls below ``n`` (tests/core/test_seeded_random.py checks it against ``random.py`` itself).
    """
    if n <= 0:
        raise ValueError(f"empty range for below({n})")  # as randrange says; 0 bits would draw 0 forever
    bits = n.bit_length()
    value = r.getrandbits(bits)
    while value >= n:
        value = r.getrandbits(bits)
    return value


def between(r: random.Random, low: int, high: int) -> int:
    """``r.randint(low, high)``: the same number from the same state (``low + randrange(high - low + 1)``)."""
    return low + below(r, high - low + 1)


ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # the alphabet of most ids (``call_…``)


HEX = "0123456789abcdef"  # the alphabet of ids the real API writes in hex (``resp_…``, ``conv_…``, ``cntr_…``)

# Base-62 digits four at a time: one big-number division by 62**4, then a table of the 3,844 digit pairs (low
# digit first), a quarter of the divisions of one digit at a time. The same digits, so the same ids.
_PAIRS = tuple(ALNUM[i % 62] + ALNUM[i // 62] for i in range(62 * 62))
_FOUR_DIGITS = 62 ** 4


def make_id(prefix: str, *parts: Any, length: int = 24, alphabet: str = ALNUM) -> str:
    """A deterministic object id with the real prefix, e.g. ``chatcmpl-…`` or ``call_…``."""
    # ``digest("id", prefix, *parts, size=32)`` without its frame; an int part (an item's index) is written as
    # digest_text writes it, so the common (text..., index) parts still take the one-join path.
    if parts and type(parts[-1]) is int:
        parts = (*parts[:-1], str(parts[-1]))
    hashed = hashlib.blake2b(digest_text("id", prefix, *parts), digest_size=32)
    if alphabet == HEX and 0 <= length <= 64:
        # The base-16 digits least significant first, as the loop below makes them, without a divmod each.
        return prefix + hashed.hexdigest()[::-1][:length]
    number = int.from_bytes(hashed.digest(), "big")
    if alphabet is ALNUM:
        pairs, pieces = _PAIRS, []
        for _ in range((length + 3) // 4):
            number, four = divmod(number, _FOUR_DIGITS)
            pieces.append(pairs[four % 3844] + pairs[four // 3844])
        return prefix + "".join(pieces)[:length]
    base = len(alphabet)
    chars = []
    for _ in range(length):
        number, index = divmod(number, base)
        chars.append(alphabet[index])
    return prefix + "".join(chars)
