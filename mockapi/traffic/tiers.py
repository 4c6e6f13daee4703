"""Rate-limit accounting and the six ``x-ratelimit-*`` headers, from the tier table kept as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from mockapi.core.clock import Clock
from mockapi.core.paths import fixtures_dir
from mockapi.core.store import Store


def format_duration(seconds: float) -> str:
    """A duration the way the real API writes resets: ``20ms``, ``1s``, ``6m0s``, ``1h2m3s``."""
    if seconds < 1:
        return f"{max(0, int(round(seconds * 1000)))}ms"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    secs_text = f"{secs:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{int(hours)}h{int(minutes)}m{secs_text}"
    if minutes:
        return f"{int(minutes)}m{secs_text}"
    return secs_text


@dataclass(frozen=True)
class Limits:
    """The limits one tenant has for one model family."""

    rpm: int
    tpm: int
    rpd: int
    tpd: int
    ipm: int


@lru_cache(maxsize=4)
def _tier_table() -> dict[str, Any]:
    return yaml.safe_load((fixtures_dir() / "tiers.yaml").read_text())


def family_of(model: str) -> str:
    """The rate-limit family a model counts against."""
    for entry in _tier_table()["families"]:
        if re.search(entry["pattern"], model or ""):
            return str(entry["family"])
    return "gpt-4"


def limits_for(tier: str, model: str) -> Limits:
    """The limits of ``tier`` for ``model``'s family (unknown tiers fall back to tier-5)."""
    tiers = _tier_table()["tiers"]
    row = tiers.get(tier) or tiers["tier-5"]
    family = family_of(model)
    return Limits(rpm=row["rpm"], rpd=row["rpd"], ipm=row["ipm"], tpm=row["tpm"][family], tpd=row["tpd"][family])


class RateLimiter:
    """The accounting seam the engine calls for the ``x-ratelimit-*`` headers.

    :class:`mockapi.traffic.ratelimits.Limiter` counts (per tenant and model, in minute and day
    windows kept in the store) and enforces; this base only answers for requests charged nothing.
    """

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def charge(self, tenant: str, tier: str, model: str, tokens: int) -> dict[str, str]:
        """Count one request of ``tokens`` and return the six headers after it."""
        raise NotImplementedError

    def peek(self, tier: str, model: str) -> dict[str, str]:
        """Headers for a request that charges nothing (errors before accounting)."""
        limits = limits_for(tier, model)
        return {
            "x-ratelimit-limit-requests": str(limits.rpm),
            "x-ratelimit-limit-tokens": str(limits.tpm),
            "x-ratelimit-remaining-requests": str(limits.rpm),
            "x-ratelimit-remaining-tokens": str(limits.tpm),
            "x-ratelimit-reset-requests": "0ms",
            "x-ratelimit-reset-tokens": "0ms",
        }
