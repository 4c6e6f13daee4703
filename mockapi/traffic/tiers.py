"""The tier table: what each usage tier may do per model family (fixtures/tiers.yaml), and how resets are written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import yaml

from mockapi.core.paths import fixtures_dir


def format_duration(seconds: float) -> str:
    """A duration the way the real API writes resets: ``20ms``, ``1s``, ``6m0s``, ``1h2m3s``."""
    if seconds < 1:  # every request's token reset: round() of a float is already an int
        ms = round(seconds * 1000)
        return f"{ms if ms > 0 else 0}ms"
    if seconds < 60:  # every minute window's reset: no divmods needed
        return _seconds(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{int(hours)}h{int(minutes)}m{_seconds(secs)}"
    return f"{int(minutes)}m{_seconds(secs)}"


def _seconds(secs: float) -> str:
    """``12.5s``: seconds to the millisecond, trailing zeros dropped."""
    return f"{secs:.3f}".rstrip("0").rstrip(".") + "s"


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
    return yaml.load((fixtures_dir() / "tiers.yaml").read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


@lru_cache(maxsize=1024)  # every request's headers ask; model names repeat (and the cache stays bounded)
def family_of(model: str) -> str:
    """The rate-limit family a model counts against."""
    for entry in _tier_table()["families"]:
        if re.search(entry["pattern"], model or ""):
            return str(entry["family"])
    return "gpt-4"


@lru_cache(maxsize=1024)
def limits_for(tier: str, model: str) -> Limits:
    """The limits of ``tier`` for ``model``'s family (unknown tiers fall back to tier-5)."""
    tiers = _tier_table()["tiers"]
    row = tiers.get(tier) or tiers["tier-5"]
    family = family_of(model)
    return Limits(rpm=row["rpm"], rpd=row["rpd"], ipm=row["ipm"], tpm=row["tpm"][family], tpd=row["tpd"][family])


def overlay(values: dict[str, int], source: Mapping[str, Any], family: str) -> None:
    """Lay ``source``'s limits (a number, or one per family as in the tier table) over ``values``."""
    for name in ("rpm", "tpm", "rpd", "tpd", "ipm"):
        value = source.get(name)
        if isinstance(value, dict):  # per family, as in the tier table
            value = value.get(family)
        if value is not None:
            values[name] = int(value)
