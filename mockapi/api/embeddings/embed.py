"""Deterministic embeddings that keep lexical similarity: hashed text features over a dense base.

A text's vector is a small dense "noise" part (a slice of a per-model table, chosen by the
text's hash) plus signed hashed features: its words, word stems, word pairs and acronyms.
Texts that share words share features, so their cosine is higher than that of unrelated
texts. Features are spread over bands of growing width, so the leading dimensions carry
signal as in Matryoshka-trained models, and truncating with ``dimensions`` keeps it.
Vectors are L2-normalised and hold float32 values, so the float and base64 forms agree.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import re
import struct
from functools import lru_cache
from typing import Any, Sequence

from mockapi.core.tokenizer import count_tokens

MAX_INPUTS = 2048
MAX_INPUT_TOKENS = 8191  # reference §8.3 ("Max Tokens 8191")
MAX_REQUEST_TOKENS = 300_000  # summed over all inputs of one request (the SDK's docstring)

_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have how i in is it its of on or that the this to was were what when "
    "where which who why will with you your do does did can".split()
)
_NOISE = 0.35  # the dense part's share of the norm before features are added
_PER_BAND = 1  # positions each feature takes in every band
_F32 = struct.Struct("<f")

Input = str | Sequence[int]


def features(text: str) -> dict[str, float]:
    """The weighted lexical features of ``text``: words, stems, word pairs and acronyms."""
    words = _WORD.findall(text.lower())
    out: dict[str, float] = {}

    def add(name: str, weight: float) -> None:
        out[name] = out.get(name, 0.0) + weight

    content = [w for w in words if w not in _STOPWORDS]
    for word in words:
        add("w:" + word, 0.25 if word in _STOPWORDS else 1.0)
    for word in content:
        if len(word) > 5:
            add("s:" + word[:5], 0.5)
        if 2 <= len(word) <= 4:
            add("a:" + word, 0.6)  # "ML" and "AI" meet the initials of the words they abbreviate
    for first, second in zip(content, content[1:]):
        add(f"b:{first} {second}", 0.5)
        add("a:" + first[0] + second[0], 0.6)
    if not out:
        add("raw:" + text, 1.0)
    return {name: 1.0 + math.log(weight) if weight > 1.0 else weight for name, weight in out.items()}


def token_features(tokens: Sequence[int]) -> dict[str, float]:
    """The features of a token-id input: each id and each adjacent pair of ids."""
    out: dict[str, float] = {}
    for token in tokens:
        out[f"t:{token}"] = out.get(f"t:{token}", 0.0) + 1.0
    for first, second in zip(tokens, tokens[1:]):
        out[f"p:{first},{second}"] = 0.5
    return out


def count_input_tokens(item: Input) -> int:
    """The tokens one input uses."""
    return count_tokens(item) if isinstance(item, str) else len(item)


def embed(space: str, item: Input, size: int) -> list[float]:
    """The L2-normalised ``size``-dimensional vector of ``item`` in the model family ``space`` (float32 values)."""
    table, squares = _table(space, size)
    if isinstance(item, str):
        key, feats = item.encode(), features(item)
    else:
        key, feats = ",".join(map(str, item)).encode(), token_features(item)
    offset = int.from_bytes(hashlib.blake2b(key, digest_size=8, person=b"mockapi-emb").digest(), "little") % size
    vector = table[offset: offset + size]
    sparse: dict[int, float] = {}
    for name, weight in feats.items():
        for position, unit in _positions(space, size, name):
            sparse[position] = sparse.get(position, 0.0) + unit * weight
    # Scale only the sparse part so that |base + c*sparse| == 1: no pass over every dimension.
    base2 = squares[offset + size] - squares[offset]
    cross = sum([vector[p] * v for p, v in sparse.items()])
    sparse2 = sum([v * v for v in sparse.values()])
    c = (math.sqrt(cross * cross + sparse2 * (1.0 - base2)) - cross) / sparse2
    for position, value in sparse.items():  # the table is float32 already; round only what changed
        vector[position] = _F32.unpack(_F32.pack(vector[position] + c * value))[0]
    return vector

def shorten(vector: list[float], dimensions: int) -> list[float]:
    """The first ``dimensions`` values of ``vector``, re-normalised."""
    head = vector[:dimensions]
    norm2 = math.fsum(x * x for x in head)
    scale = 1.0 / math.sqrt(norm2) if norm2 > 0 else 1.0
    return as_float32([x * scale for x in head])


def encode_base64(vector: list[float]) -> str:
    """The vector as the API's base64: packed little-endian float32."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def as_float32(vector: list[float]) -> list[float]:
    """The vector rounded to float32, the precision the base64 form carries."""
    n = len(vector)
    return list(struct.unpack(f"<{n}f", struct.pack(f"<{n}f", *vector)))


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """The cosine similarity of two vectors."""
    dot = math.fsum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b)))


@lru_cache(maxsize=16)
def _table(space: str, size: int) -> tuple[list[float], list[float]]:
    """A dense table of length ``2*size`` (so any slice of ``size`` exists) and its prefix sums of squares."""
    r = random.Random(f"mockapi-embedding-table:{space}:{size}")
    sigma = _NOISE / math.sqrt(size)
    table = as_float32([r.gauss(0.0, sigma) for _ in range(2 * size)])
    squares = [0.0]
    for value in table:
        squares.append(squares[-1] + value * value)
    return table, squares


def _bands(size: int) -> list[tuple[int, int]]:
    edges = [0] + [e for e in (32, 256, 1024) if e < size] + [size]
    return list(zip(edges, edges[1:]))


@lru_cache(maxsize=200_000)
def _positions(space: str, size: int, feature: str) -> tuple[tuple[int, float], ...]:
    """Where a feature lands: ``_PER_BAND`` signed positions in every band, unit norm overall."""
    bands = _bands(size)
    seed = hashlib.blake2b(f"{space}\x1f{feature}".encode(), digest_size=4 * len(bands) * _PER_BAND).digest()
    unit = 1.0 / math.sqrt(len(bands) * _PER_BAND)
    out = []
    for i in range(len(bands) * _PER_BAND):
        low, high = bands[i // _PER_BAND]
        word = int.from_bytes(seed[4 * i: 4 * i + 4], "little")
        out.append((low + (word >> 1) % (high - low), unit if word & 1 else -unit))
    return tuple(out)


def normalize_input(value: Any) -> list[Input]:
    """The request's ``input`` as a list of texts or token-id lists (shape already checked by the contract)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(x, int) for x in value):
        return [value]
    return list(value) if isinstance(value, list) else [value]
