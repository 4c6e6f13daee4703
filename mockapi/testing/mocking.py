"""Per-test configuration of an engine: options from ini and marker, applied and reset in place.

The same code serves the in-process mode (a fresh engine per test) and the live mode (one server
per session whose engine is reset before each test), so both behave alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from mockapi.core.engine import Engine
    from mockapi.core.overrides import Rule

# The API, its regional endpoints (``OpenAI(data_residency="eu")`` sends to eu.api.openai.com), Azure, and the
# token exchange of workload identity.
DEFAULT_BASE_URLS = ("https://api.openai.com/v1", "https://*.api.openai.com/v1", "https://*.openai.azure.com",
                     "https://auth.openai.com")
FROZEN_AT = 1_750_000_000.0  # 2025-06-15: every `created` field is the same on every run
API_KEY = "sk-mockapi-test-0123456789"
MARKER_FIELDS = ("seed", "tier", "faults", "fixtures", "latency", "base_urls", "passthrough", "frozen_time",
                 "set_env", "api_key")


@dataclass(frozen=True)
class Options:
    """How one test wants the mock: seed, tier, faults, canned-reply fixtures, latency, URLs, clock."""

    seed: int = 0
    tier: str | None = None
    latency: str | None = None
    fixtures: tuple[str, ...] = ()
    faults: tuple[Any, ...] = ()  # fault specs ("503", "cut after=3") or dicts {fault, path, model, times, …}
    base_urls: tuple[str, ...] = DEFAULT_BASE_URLS
    passthrough: tuple[str, ...] = ()  # host globs allowed to reach the network ("*": all)
    frozen_time: float | None = FROZEN_AT  # None: a running clock
    set_env: bool = True
    api_key: str = API_KEY

    def merged(self, marker: Mapping[str, Any]) -> "Options":
        """These options with a marker's keyword arguments applied (lists add up; other values replace)."""
        unknown = set(marker) - set(MARKER_FIELDS)
        if unknown:
            raise TypeError(f"@pytest.mark.mockapi got unknown arguments {sorted(unknown)}; use {list(MARKER_FIELDS)}")
        values: dict[str, Any] = dict(marker)
        for name in ("faults", "fixtures", "base_urls", "passthrough"):
            if name in values:
                value = values[name]
                values[name] = (value,) if isinstance(value, (str, dict)) else tuple(value or ())
        values["base_urls"] = _unique(self.base_urls + values.get("base_urls", ()))
        for name in ("passthrough", "fixtures", "faults"):
            values[name] = getattr(self, name) + values.get(name, ())
        return replace(self, **values)

    @property
    def base_url(self) -> str:
        """The base URL ready-made clients use: the first one without a wildcard."""
        return next((u for u in self.base_urls if "*" not in u), DEFAULT_BASE_URLS[0]).rstrip("/")


@dataclass
class Baseline:
    """What an engine looked like before any test touched it."""

    settings: Any
    seed: int
    rules: list["Rule"] = field(default_factory=list)
    latency: Any = None

    @classmethod
    def of(cls, engine: "Engine") -> "Baseline":
        """Snapshot ``engine``."""
        return cls(engine.settings, engine.seed, list(engine.overrides.rules), engine.traffic.latency.default)


def new_engine(options: Options) -> "Engine":
    """A fresh engine with an in-memory store and the options' clock."""
    from mockapi.assembly import build_engine
    from mockapi.core.clock import Clock
    from mockapi.core.config import Settings
    from mockapi.core.store import MemoryStore

    return build_engine(Settings(), store=MemoryStore(), clock=Clock(frozen_at=options.frozen_time))


def reset(engine: "Engine", baseline: Baseline, options: Options) -> None:
    """Drop all state (objects, counters, queued replies, faults, journal), then apply ``options``."""
    engine.reset()
    apply(engine, baseline, options)


def apply(engine: "Engine", baseline: Baseline, options: Options) -> None:
    """Configure ``engine`` for one test: settings, seed, fixtures, latency, clock and faults."""
    from mockapi.core.overrides import Overrides
    from mockapi.traffic import latency

    engine.settings = baseline.settings.with_overrides(tier=options.tier, latency=options.latency)
    engine.seed = options.seed
    engine.overrides.rules = [*baseline.rules, *Overrides.load(options.fixtures).rules]
    engine.traffic.latency.default = latency.parse(options.latency) if options.latency else baseline.latency
    if options.frozen_time is not None:
        engine.clock.freeze(options.frozen_time)
    else:  # a running clock with no offset left over from an earlier test
        engine.clock.freeze(time.time())
        engine.clock.unfreeze()
    for fault in options.faults:
        if isinstance(fault, Mapping):
            engine.traffic.faults.add_rule(**fault)
        else:
            engine.traffic.faults.add_rule(fault)


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.rstrip("/") for i in items))
