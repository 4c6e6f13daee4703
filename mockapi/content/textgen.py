"""Plausible English from a fixed corpus, chosen by a seeded RNG so that output is deterministic."""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from mockapi.core.determinism import below, between
from mockapi.core.paths import fixtures_dir
from mockapi.core.tokenizer import count_tokens, tokenize

from .cues import says_any

_LENGTH_ASK = re.compile(r"\b(\d{1,5})\s*(?:-\s*)?(words?|tokens?)\b", re.I)


@lru_cache(maxsize=8)
def load_corpus(path: Path | None = None) -> tuple[str, ...]:
    """The corpus sentences, one a line, ignoring comments and blanks."""
    source = path or fixtures_dir() / "corpus.txt"
    lines = (line.strip() for line in source.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def requested_length(prompt: str) -> int | None:
    """The length a prompt asks for ("in 500 words", "300 tokens"), in tokens, if any."""
    if not says_any(prompt, ("word", "token")):
        return None
    match = _LENGTH_ASK.search(prompt)
    if not match:
        return None
    n = int(match.group(1))
    return n if match.group(2).lower().startswith("token") else max(1, int(n * 4 / 3))


def sentences(r: random.Random, target_tokens: int) -> str:
    """Corpus sentences chosen by ``r`` until the text holds at least ``target_tokens`` tokens."""
    corpus, weights = load_corpus(), _weights()
    size = len(corpus)
    parts: list[str] = []
    total = 0
    while total < target_tokens:
        index = below(r, size)  # r.randrange(size)
        sentence = corpus[index]
        if parts and sentence == parts[-1]:
            continue
        parts.append(sentence)
        total += weights[index]
    return " ".join(parts)


@lru_cache(maxsize=1)
def _weights() -> tuple[int, ...]:
    """Each corpus sentence's tokens plus one (the space that joins it), counted once, not on every pick."""
    return tuple(count_tokens(sentence) + 1 for sentence in load_corpus())


def reply_text(r: random.Random, prompt: str, default_range: tuple[int, int] = (24, 90)) -> str:
    """A reply to ``prompt``: as long as it asks for, otherwise a seeded length in ``default_range``."""
    asked = requested_length(prompt)
    low, high = default_range
    target = asked or between(r, low, high)
    text = sentences(r, target)
    if asked:
        # Honour an explicit length ask closely: trim whole tokens past the target.
        tokens = tokenize(text)
        text = "".join(tokens[:target]).rstrip()
        if not text.endswith("."):
            text += "."
    return text
