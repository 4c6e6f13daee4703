"""The composition root: the one place that builds an engine with its API families and traffic layer.

The engine (:mod:`mockapi.core.engine`) knows neither: the families register their handlers,
routes, explainers and reset hooks (:func:`mockapi.api.register`), and the traffic layer its
hooks, observers, rate-limit headers and control plane (:func:`mockapi.traffic.install`); then, when
``settings.extra["recording"]`` asks for it, the record/replay hook (:mod:`mockapi.recording`).
Every door, the plugin, the harness and the tests build engines here.
"""

from __future__ import annotations

from mockapi import api, traffic
from mockapi.api.admin.install import install as install_admin_traffic
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.contract import Contract
from mockapi.core.engine import Engine
from mockapi.core.store import Store


def build_engine(settings: Settings | None = None, *, store: Store | None = None, clock: Clock | None = None,
                 contract: Contract | None = None) -> Engine:
    """A complete engine: core, every API family, then the traffic layer (it wraps them all)."""
    engine = Engine(settings, store=store, clock=clock, contract=contract)
    api.register(engine)
    install_admin_traffic(engine)  # the usage recorder and the revoked-key check of the Administration API
    traffic.install(engine)
    recording = (engine.settings.extra or {}).get("recording")
    if recording:  # record/replay wraps nothing: it goes last, so the traffic layer wraps it (docs/record-replay.md)
        from mockapi.recording.hook import install
        from mockapi.recording.options import RecordingOptions

        install(engine, RecordingOptions.from_mapping(recording))
    return engine
