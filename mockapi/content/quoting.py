"""Answers built from retrieved text: the sentences of a chunk that best answer a query, so a
``file_search`` answer quotes what it cites (Responses and Assistants runs alike)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from mockapi.api.embeddings.embed import features

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(weight * b[name] for name, weight in a.items() if name in b)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def _content(features_: Mapping[str, float]) -> dict[str, float]:
    # Stopword features ("how", "do") alone make no sentence relevant.
    return {k: v for k, v in features_.items() if not (k.startswith("w:") and v < 0.5)}


def best_sentences(text: str, query: str, most: int = 2) -> list[tuple[float, str]]:
    """Up to ``most`` sentences of ``text`` sharing words with ``query``, best first (score, sentence)."""
    wanted = _content(features(query))
    scored = []
    for k, match in enumerate(_SENTENCE.finditer(text)):
        sentence = match.group().strip()
        if len(sentence) < 3:
            continue
        score = _cosine(wanted, _content(features(sentence)))
        if score > 0:
            scored.append((score, k, sentence))
    scored.sort(key=lambda s: (-s[0], s[1]))
    kept = sorted(scored[:most], key=lambda s: s[1])  # in the document's order, so they read as a passage
    return [(s[0], s[2]) for s in kept]


@dataclass(frozen=True)
class Quote:
    """One quoted passage and the file it comes from."""

    file_id: str
    filename: str
    passage: str
    score: float


def quotes(results: Iterable[Mapping[str, Any]], query: str, files: int = 2) -> list[Quote]:
    """A passage from each of the best ``files`` results that say something about ``query`` (the top result always)."""
    found: list[Quote] = []
    for rank, result in enumerate(results):
        text = result.get("text")
        if text is None and isinstance(result.get("content"), list):
            text = " ".join(part.get("text", "") for part in result["content"] if isinstance(part, dict))
        text = str(text or "")
        picked = best_sentences(text, query)
        if not picked and rank == 0:
            first = next((m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()), "")
            picked = [(0.0, first)] if first else []
        if picked and all(q.file_id != result.get("file_id") for q in found):
            found.append(Quote(str(result.get("file_id")), str(result.get("filename") or result.get("file_name") or ""),
                               " ".join(s for _, s in picked), max(s for s, _ in picked)))
        if len(found) >= files:
            break
    return found


def answer_from(quoted: list[Quote], marker: Any) -> tuple[str, list[tuple[Quote, int, int]]]:
    """The answer text quoting each passage then its citation marker (``marker(quote, k)``), and where each marker is."""
    text, spans = "", []
    for k, quote in enumerate(quoted):
        lead = "According to the uploaded files: " if k == 0 else " The files also say: "
        text += lead + quote.passage.rstrip()
        tag = marker(quote, k)
        text += " "
        spans.append((quote, len(text), len(text) + len(tag)))
        text += tag
    return text, spans
