"""What the engine lets others plug in: hooks around every operation, and the rate-limit headers.

The traffic layer implements both and registers them (``engine.hooks``, ``engine.rate_limiter``);
the engine knows only these interfaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .engine import Call
    from .results import Reply


class Hook(Protocol):
    """Cross-cutting behaviour (rate limits, faults, the journal) around every operation."""

    def before(self, call: Call) -> Reply | None:
        """Return a reply to short-circuit the operation, or None to go on."""

    def after(self, call: Call, reply: Reply) -> Reply:
        """Inspect or replace the reply."""


class RateHeaders(Protocol):
    """The ``x-ratelimit-*`` headers of a reply: the traffic layer's limiter registers as ``engine.rate_limiter``."""

    def charge(self, tenant: str, tier: str, model: str, tokens: int) -> dict[str, str]:
        """Count one answered request of ``tokens``; the headers after it."""

    def peek(self, tier: str, model: str) -> dict[str, str]:
        """The headers of a request that charges nothing (errors before accounting)."""


class NoRateHeaders:
    """No limiter registered: no rate-limit headers."""

    def charge(self, tenant: str, tier: str, model: str, tokens: int) -> dict[str, str]:
        """Nothing to count."""
        return {}

    def peek(self, tier: str, model: str) -> dict[str, str]:
        """Nothing to say."""
        return {}
