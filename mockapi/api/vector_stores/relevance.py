"""Deterministic lexical relevance for vector store search: chunking, and cosine over the embeddings
engine's sparse lexical features (words, stems, word pairs, acronyms) without its dense noise part,
so a chunk sharing nothing with the query scores 0 and is left out."""

from __future__ import annotations

import math
from typing import Any, Mapping

from ..embeddings.embed import features


def terms(text: str) -> dict[str, float]:
    """The text's weighted lexical features, as the embeddings engine sees them."""
    return features(text)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse feature maps, in [0, 1]."""
    if not a or not b:
        return 0.0
    dot = sum(weight * b[name] for name, weight in a.items() if name in b)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values())))


def chunks(text: str, max_tokens: int = 800, overlap_tokens: int = 400) -> list[str]:
    """Split text into overlapping windows of about ``max_tokens`` tokens (a word is about 4/3 tokens)."""
    words = text.split()
    if not words:
        return []
    size = max(1, max_tokens * 3 // 4)
    step = max(1, size - overlap_tokens * 3 // 4)
    out = []
    for start in range(0, len(words), step):
        out.append(" ".join(words[start:start + size]))
        if start + size >= len(words):
            break
    return out


def matches(attributes: dict[str, Any] | None, flt: dict[str, Any] | None) -> bool:
    """Whether a file's attributes pass a comparison or compound filter."""
    if not flt:
        return True
    attributes = attributes or {}
    kind = flt.get("type")
    if kind in ("and", "or"):
        results = (matches(attributes, f) for f in flt.get("filters", []))
        return all(results) if kind == "and" else any(results)
    value, target = attributes.get(flt.get("key", "")), flt.get("value")
    try:
        return {
            "eq": lambda: value == target, "ne": lambda: value != target,
            "gt": lambda: value is not None and value > target, "gte": lambda: value is not None and value >= target,
            "lt": lambda: value is not None and value < target, "lte": lambda: value is not None and value <= target,
            "in": lambda: value in (target or []), "nin": lambda: value not in (target or []),
        }[kind]()
    except (KeyError, TypeError):
        return False
