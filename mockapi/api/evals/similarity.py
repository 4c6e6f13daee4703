"""Text-similarity metrics for the ``text_similarity`` grader, computed on word tokens, deterministic.

``fuzzy_match`` is a character-level ratio (difflib's, like rapidfuzz's ratio/100), ``bleu`` and ``gleu``
are sentence-level with add-one smoothing, ``rouge_n`` and ``rouge_l`` are F1 scores, ``meteor`` is the
unigram F-mean with METEOR's weighting and no stemming or synonyms, and ``cosine`` compares word counts
(the real service compares embeddings; the mock's embeddings are not semantic, so word counts say more).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher
from itertools import pairwise

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1."""
    cand, ref = _ngrams(_words(candidate), n), _ngrams(_words(reference), n)
    return _f1(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 (longest common subsequence of words)."""
    a, b = _words(candidate), _words(reference)
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return _f1(previous[-1], len(a), len(b))


def bleu(candidate: str, reference: str) -> float:
    """Sentence BLEU-4 with add-one smoothing of the higher orders and the brevity penalty."""
    cand, ref = _words(candidate), _words(reference)
    if not cand or not ref:
        return 0.0
    logs = []
    for n in range(1, 5):
        grams, ref_grams = _ngrams(cand, n), _ngrams(ref, n)
        total = max(sum(grams.values()), 0)
        match = sum((grams & ref_grams).values())
        if n == 1 and match == 0:
            return 0.0
        logs.append(math.log((match + (n > 1)) / (total + (n > 1))) if total or n > 1 else float("-inf"))
    penalty = 1.0 if len(cand) > len(ref) else math.exp(1 - len(ref) / len(cand))
    return penalty * math.exp(sum(logs) / 4)


def gleu(candidate: str, reference: str) -> float:
    """Sentence GLEU: min of n-gram precision and recall over n = 1..4."""
    cand, ref = _words(candidate), _words(reference)
    grams = sum((_ngrams(cand, n) for n in range(1, 5)), Counter())
    ref_grams = sum((_ngrams(ref, n) for n in range(1, 5)), Counter())
    if not grams or not ref_grams:
        return 0.0
    match = sum((grams & ref_grams).values())
    return min(match / sum(grams.values()), match / sum(ref_grams.values()))


def meteor(candidate: str, reference: str) -> float:
    """METEOR's F-mean (recall weighted 9:1) with its fragmentation penalty, exact matches only."""
    cand, ref = _words(candidate), _words(reference)
    used: set[int] = set()
    aligned: list[tuple[int, int]] = []  # (candidate position, reference position), each reference word used once
    for i, word in enumerate(cand):
        j = next((j for j, other in enumerate(ref) if other == word and j not in used), None)
        if j is not None:
            used.add(j)
            aligned.append((i, j))
    matches = len(aligned)
    if not matches:
        return 0.0
    precision, recall = matches / len(cand), matches / len(ref)
    fmean = 10 * precision * recall / (recall + 9 * precision)
    chunks = 1 + sum(1 for (i, j), (k, m) in pairwise(aligned) if k != i + 1 or m != j + 1)
    return fmean * (1 - 0.5 * (chunks / matches) ** 3)


def cosine(candidate: str, reference: str) -> float:
    """Cosine of the word-count vectors."""
    a, b = Counter(_words(candidate)), Counter(_words(reference))
    dot = sum(a[w] * b[w] for w in a)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def fuzzy_match(candidate: str, reference: str) -> float:
    """Character-level similarity ratio in [0, 1]."""
    return SequenceMatcher(None, candidate, reference, autojunk=False).ratio()


def score(metric: str, candidate: str, reference: str) -> float:
    """The named metric, rounded to 6 places."""
    if metric.startswith("rouge_") and metric[6:].isdigit():
        value = rouge_n(candidate, reference, int(metric[6:]))
    else:
        value = {"rouge_l": rouge_l, "bleu": bleu, "gleu": gleu, "meteor": meteor, "cosine": cosine,
                 "fuzzy_match": fuzzy_match}[metric](candidate, reference)
    return round(value, 6)
