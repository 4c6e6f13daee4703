"""A deterministic, offline approximation of OpenAI's BPE tokenisers.

tiktoken downloads its encodings at run time, which fails offline, so the mock uses a
GPT-2-style pre-tokeniser and splits long words into pieces of at most six letters.
Counts land close to cl100k for English; joining the tokens gives back the text exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_PRETOKEN = re.compile(r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d{1,3}| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")
_MAX_PIECE = 6


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens whose concatenation is ``text``."""
    return _tokens(text) if len(text) > 4096 else list(_cached_tokens(text))


@lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokens(text))


def _tokens(text: str) -> list[str]:
    # findall builds the pieces in C; only the rare long word needs splitting in Python (per-request profiles).
    pieces = _PRETOKEN.findall(text)
    if all(len(piece) <= 10 for piece in pieces):
        return pieces
    out: list[str] = []
    for piece in pieces:
        if len(piece) <= 10 or not piece.strip().isalpha():
            out.append(piece)
            continue
        # A long word becomes a head of up to 6 letters (with its space) and 6-letter tails.
        head_len = _MAX_PIECE + (1 if piece.startswith(" ") else 0)
        out.append(piece[:head_len])
        out.extend(piece[i : i + _MAX_PIECE] for i in range(head_len, len(piece), _MAX_PIECE))
    return out


def count_tokens(text: str) -> int:
    """The number of tokens in ``text``."""
    if not text:
        return 0
    # Counting needs no list: the cached tuple's length (a copy per call showed in per-request profiles).
    return len(_cached_tokens(text)) if len(text) <= 4096 else len(_tokens(text))


def count_value_tokens(value: Any) -> int:
    """Tokens in any JSON value, counting only its strings and numbers."""
    if isinstance(value, str):
        return count_tokens(value)
    if isinstance(value, dict):
        return sum(count_value_tokens(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(count_value_tokens(v) for v in value)
    if value is None or isinstance(value, bool):
        return 0
    return 1


def token_id(token: str) -> int:
    """A stable pseudo token id in the cl100k range, for ``logit_bias`` and token-id inputs."""
    h = 2166136261
    for b in token.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h % 100_000
