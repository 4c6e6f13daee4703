"""Webhook events waiting to be sent: families publish here, the traffic layer delivers.

A family that owns an object with a webhook-worthy end (a batch, a background response, a
fine-tuning job, a video) calls :func:`publish` when it gets there, or ahead of time with ``due``
when the end is already known (a background response is ready at a fixed instant). The event
waits in the store, so every worker sharing the store sees it; ``mockapi.traffic.webhooks``
signs and POSTs it to the configured URL, retrying with backoff on the mock clock.

Nothing is published while no webhook URL is configured: ``webhooks: {url, secret}`` in the
config file, or ``POST /_mockapi/webhooks`` at run time (kept in the store, so all workers see it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .determinism import digest, make_id

SCOPE = "_mockapi:webhooks"  # the store "tenant" of the outbox and the run-time configuration
OUTBOX = "webhook.outbox"
TICKS = "webhook.ticks"
CONFIG = "webhook.config"
SEQUENCE_TTL = 10 * 365 * 86400.0

# kind -> tick(engine, tenant, object_id): move a pending object on outside any request, and return when
# it next needs a tick (None: done, or only polls move it). Families register here (batches do), so
# an object whose end nobody polls for still reaches it, and its webhook event goes out.
TICKERS: dict[str, Callable[[Any, str, str], float | None]] = {}


def config(engine: Any) -> Mapping[str, Any] | None:
    """The webhook target ``{url, secret, ...}``: the run-time setting, else the config file's; None when unset."""
    stored = engine.store.get(SCOPE, CONFIG, "default")
    if stored is not None:
        return stored if stored.get("url") else None
    configured = engine.settings.extra.get("webhooks")  # usually None: no ABC isinstance check for every request
    return configured if configured and isinstance(configured, Mapping) and configured.get("url") else None


def set_config(engine: Any, settings: Mapping[str, Any] | None) -> None:
    """Set (or, with None or no url, switch off) the webhook target at run time."""
    engine.store.put(SCOPE, CONFIG, "default", {"id": "default", **dict(settings or {})})


def publish(engine: Any, tenant: str, event_type: str, object_id: str, *, due: float | None = None,
            created_at: int | None = None) -> dict[str, Any] | None:
    """Queue ``{id: evt_…, object: event, created_at, type, data: {id}}`` for delivery (at ``due``, default now).

    Returns the event, or None when no webhook target is configured. The event id follows the
    object and the event type, so publishing the same end twice queues one event.
    """
    if config(engine) is None:
        return None
    now = engine.clock.now()
    event_id = make_id("evt_", engine.seed, "webhook", event_type, object_id, length=32)
    if engine.store.get(SCOPE, OUTBOX, event_id) is not None:
        return None
    when = now if due is None else due
    event = {"id": event_id, "object": "event", "created_at": int(when) if created_at is None else created_at,
             "type": event_type, "data": {"id": object_id}}
    order = engine.store.incr(f"{SCOPE}:seq", 1, SEQUENCE_TTL)
    engine.store.put(SCOPE, OUTBOX, event_id, {"id": event_id, "event": event, "_tenant": tenant, "_due": when,
                                               "_attempts": 0, "_order": order})
    return event


def withdraw(engine: Any, event_type: str, object_id: str) -> bool:
    """Drop a queued, not yet delivered event (a background response cancelled before it finished)."""
    event_id = make_id("evt_", engine.seed, "webhook", event_type, object_id, length=32)
    return engine.store.delete(SCOPE, OUTBOX, event_id)


def schedule(engine: Any, tenant: str, kind: str, object_id: str, due: float | None) -> None:
    """Ask for a tick of ``TICKERS[kind]`` at ``due`` on the mock clock (None: no more ticks); only while webhooks are on."""
    tick_id = f"{kind}:{tenant}:{object_id}"
    if due is None or config(engine) is None:
        engine.store.delete(SCOPE, TICKS, tick_id)
        return
    engine.store.put(SCOPE, TICKS, tick_id, {"id": tick_id, "kind": kind, "tenant": tenant, "object_id": object_id,
                                             "_due": due})


def run_ticks(engine: Any) -> int:
    """Run every tick due on the mock clock now; how many ran."""
    ran = 0
    now = engine.clock.now()
    for tick in list(engine.store.list(SCOPE, TICKS)):
        ticker = TICKERS.get(tick["kind"])
        if tick["_due"] > now or ticker is None:
            continue
        if engine.store.incr(f"{SCOPE}:tick:{tick['id']}:{tick['_due']}", 1, 60.0) != 1:
            continue  # another worker runs this one
        schedule(engine, tick["tenant"], tick["kind"], tick["object_id"], ticker(engine, tick["tenant"], tick["object_id"]))
        ran += 1
    return ran


def has_work(engine: Any) -> bool:
    """Whether events wait to be sent or objects to be ticked."""
    return bool(engine.store.list(SCOPE, OUTBOX) or engine.store.list(SCOPE, TICKS))


def pending(engine: Any) -> list[dict[str, Any]]:
    """Every queued event record, oldest first."""
    return list(engine.store.list(SCOPE, OUTBOX))


def delivery_id(event_id: str) -> str:
    """The ``webhook-id`` of one delivery attempt: the same for every retry of an event (receivers dedupe on it)."""
    return "wh_" + digest("webhook-delivery", event_id)[:24]
