"""A deterministic, offline approximation of OpenAI's BPE tokenisers.

tiktoken downloads its encodings at run time, which fails offline, so the mock uses a
GPT-2-style pre-tokeniser and splits long words into pieces of at most six letters.
Counts land close to cl100k for English; joining the tokens gives back the text exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

_PRETOKEN = re.compile(r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d{1,3}| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")
_MAX_PIECE = 6
# For ASCII text, the same pieces with long words already split by the pattern: a word of up to 10 characters
# (its space included) whole, else a head of up to 6 letters and tails of 6, as _split_long_words does. A word
# starts after a non-letter or after a contraction ("'d" in "I'dx..."); a tail never does. Outside ASCII,
# [^\W\d_] takes a few non-letters (superscripts, fractions) that isalpha() refuses, so that text keeps the loop.
# In ASCII text [^\W\d_] is [A-Za-z], \d is [0-9] and [^\s\w] is [^\sA-Za-z0-9_]: spelled as ranges, which the
# regex engine tests faster than the Unicode categories (a fifth fewer instructions per text).
_L = "[A-Za-z]"
_ASCII_PIECES = re.compile(
    rf"""'(?:[sdmt]|ll|ve|re)|(?: {_L}{{1,9}}|(?:(?<!{_L})|(?<='[sdmt])|(?<='ll|'ve|'re)){_L}{{1,10}})(?!{_L})"""
    rf"""| ?{_L}{{1,{_MAX_PIECE}}}| ?[0-9]{{1,3}}| ?(?:[^\sA-Za-z0-9_]|_)+|\s+(?!\S)|\s+""")
_SENTENCE_END = ". "  # no token spans a period followed by a space: text splits there into cacheable sentences


_UNCACHED = 4096  # longer texts are tokenised afresh, not kept in the cache


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens whose concatenation is ``text``."""
    out: list[str] = []
    for run in _runs(text):
        out += run
    return out


def _runs(text: str) -> list[Sequence[str]]:
    """The tokens of ``text`` as runs to join: the cached tokens of each sentence, or of the whole text."""
    if len(text) > _UNCACHED:
        return [_tokens(text)]
    if _SENTENCE_END not in text:
        return [_cached_tokens(text)]
    return [_cached_tokens(sentence) for sentence in _sentences(text)]


def _sentences(text: str) -> list[str]:
    """``text`` cut after each period that a space follows (the space starts the next part)."""
    # Replies are corpus sentences joined by spaces, so their sentences recur: tokenised once each, then
    # joined (a whole reply missed the cache every time, and tokenising it was ~15% of a chat's CPU).
    parts = text.split(_SENTENCE_END)
    last = len(parts) - 1
    return [parts[0] + ".", *[" " + part + "." for part in parts[1:last]], " " + parts[last]]


@lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokens(text))


def _tokens(text: str) -> list[str]:
    if text.isascii():
        return _ASCII_PIECES.findall(text)
    pieces = _PRETOKEN.findall(text)
    return pieces if all(len(piece) <= 10 for piece in pieces) else _split_long_words(pieces)


def _split_long_words(pieces: list[str]) -> list[str]:
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
    # No list is built: the cached runs' lengths (a copy per call showed in per-request profiles).
    return sum(map(len, _runs(text))) if text else 0


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
