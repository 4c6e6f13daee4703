"""Traffic simulation: rate limits, faults, latency and the request journal, as engine hooks.

:func:`install` wires them into an engine (the composition root, :mod:`mockapi.assembly`, calls it) and mounts
the control plane at ``/_mockapi/``. Each concern is one module; none of them knows a door.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapi.core.engine import Engine

    from .faults import Faults
    from .journal import Journal
    from .latency import Latency
    from .ratelimits import Limiter
    from .webhooks import Webhooks


@dataclass
class Traffic:
    """The traffic parts of one engine, reachable as ``engine.traffic``."""

    journal: "Journal"
    faults: "Faults"
    limiter: "Limiter"
    latency: "Latency"
    control: Any = None  # the ControlPlane (its ``advancers`` are the run-lifecycle hook point)
    webhooks: "Webhooks | None" = None  # the webhook sender (events from mockapi/core/outbox.py)


def install(engine: "Engine") -> Traffic:
    """Add the traffic hooks, the journal observer and the control plane to ``engine``."""
    from mockapi.core.store import MemoryStore

    from .control import ControlPlane
    from .faults import Faults
    from .journal import Journal
    from .latency import Latency
    from .ratelimits import Limiter
    from .webhooks import Webhooks

    if isinstance(engine.store, MemoryStore) and engine.store.clock is None:
        engine.store.clock = engine.clock  # windows and counter expiry follow the same (injectable) clock
    journal = Journal(engine, size=engine.settings.journal_size)
    faults = Faults(engine)
    limiter = Limiter(engine)
    latency = Latency(engine.settings.latency)
    engine.rate_limiter = limiter
    # ``after`` runs in reverse: latency paces events first, then faults reshape the paced stream.
    engine.hooks.extend([faults, limiter, latency])
    engine.observers.append(journal.observe)
    webhooks = Webhooks(engine, journal)
    engine.observers.append(webhooks.observe)
    engine.reset_hooks.append(lambda store, tenant: journal.clear() if tenant is None else None)
    traffic = engine.traffic = Traffic(journal, faults, limiter, latency, webhooks=webhooks)  # type: ignore[attr-defined]
    traffic.control = ControlPlane(engine, traffic)
    engine.routes.append(("/_mockapi", traffic.control.route))
    return traffic
