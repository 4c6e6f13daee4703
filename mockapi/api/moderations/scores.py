"""Deterministic moderation: per-category scores from a small lexicon, the same for the same input.

Text that names a category's words scores high in it (flagged above 0.5); anything else scores
near zero, with seeded noise so the numbers look like a classifier's.
"""

from __future__ import annotations

import random
import re
from typing import Any

# category -> (words that raise it, input types it applies to)
_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "harassment": (("idiot", "stupid", "loser", "harass"), ("text",)),
    "harassment/threatening": (("i will hurt you", "threaten", "make them suffer", "make you suffer", "make him suffer",
                                "make her suffer"), ("text",)),
    "hate": (("hate",), ("text",)),
    "hate/threatening": (("exterminate",), ("text",)),
    "illicit": (("steal", "smuggle", "counterfeit"), ("text",)),
    "illicit/violent": (("build a bomb", "make a weapon"), ("text",)),
    "self-harm": (("hurt myself", "self-harm", "self harm"), ("text", "image")),
    "self-harm/instructions": (("how to hurt myself",), ("text", "image")),
    "self-harm/intent": (("i want to hurt myself",), ("text", "image")),
    "sexual": (("explicit", "nsfw"), ("text", "image")),
    "sexual/minors": (("minor explicit",), ("text",)),
    "violence": (("kill", "attack", "violence", "murder"), ("text", "image")),
    "violence/graphic": (("gore", "graphic violence"), ("text", "image")),
}


def classify(text: str, has_image: bool, r: random.Random) -> dict[str, Any]:
    """One moderation result for one input."""
    lowered = text.lower()
    scores: dict[str, float] = {}
    for name, (words, _) in _CATEGORIES.items():
        hits = sum(1 for w in words if re.search(rf"\b{re.escape(w)}", lowered))
        base = min(0.99, 0.6 + 0.15 * hits) if hits else r.uniform(0.00001, 0.002)
        scores[name] = round(base, 6)
    categories = {name: score > 0.5 for name, score in scores.items()}
    applied = {name: [t for t in types if t == "text" or has_image] for name, (_, types) in _CATEGORIES.items()}
    return {"flagged": any(categories.values()), "categories": categories, "category_scores": scores,
            "category_applied_input_types": applied}


def inputs(value: Any) -> list[tuple[str, bool]]:
    """The inputs to classify as (text, has_image): a string, strings, or one multimodal input."""
    if isinstance(value, str):
        return [(value, False)]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(v, False) for v in value]
    parts = [p for p in value or [] if isinstance(p, dict)]
    text = " ".join(p.get("text", "") for p in parts if p.get("type") == "text")
    return [(text, any(p.get("type") == "image_url" for p in parts))]
