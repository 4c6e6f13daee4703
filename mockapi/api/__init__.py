"""The API families: one package per family, each with its handlers and its domain logic.

A family's ``*handlers`` modules export ``HANDLERS`` (operationId -> function(call)), and optionally
``routes(engine)`` (extra path prefixes, e.g. asset URLs), ``EXPLAIN`` (operationId -> a clearer 400)
and ``ON_RESET`` (called with (store, tenant or None) before the engine drops state).
:func:`register` hands them all to an engine (the composition root, :mod:`mockapi.assembly`, calls it).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any, Callable, Iterator


def handler_modules() -> Iterator[ModuleType]:
    """Every ``*handlers`` module of every family package, in name order."""
    for family in pkgutil.iter_modules(__path__):
        if family.name.startswith("_") or not family.ispkg:
            continue
        package = importlib.import_module(f"{__name__}.{family.name}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.endswith("handlers"):
                yield importlib.import_module(f"{package.__name__}.{info.name}")


def register(engine: Any) -> None:
    """Give ``engine`` every family's handlers, routes, explainers and reset hooks."""
    engine.handlers.update(discover_handlers())
    from .generic import (
        fallbacks,  # every SDK operation without its own handler answers generically
    )

    engine.handlers.update(fallbacks(engine.contract, engine.handlers))
    engine.routes.extend(discover_routes(engine))
    engine.explainers.update(discover_explainers())
    engine.reset_hooks.extend(m.ON_RESET for m in handler_modules() if callable(getattr(m, "ON_RESET", None)))


def discover_handlers() -> dict[str, Callable[[Any], Any]]:
    """Every operation handler of every family."""
    handlers: dict[str, Callable[[Any], Any]] = {}
    for module in handler_modules():
        for operation_id, fn in getattr(module, "HANDLERS", {}).items():
            if operation_id in handlers:
                raise RuntimeError(f"two handler modules handle {operation_id}")
            handlers[operation_id] = fn
    return handlers


def discover_routes(engine: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    """Extra (path prefix, route) pairs from handler modules exporting ``routes(engine)``, e.g. asset URLs."""
    found: list[tuple[str, Callable[[Any], Any]]] = []
    for module in handler_modules():
        make = getattr(module, "routes", None)
        if callable(make):
            found.extend(make(engine))
    return found


def discover_explainers() -> dict[str, Callable[[Any, Any], Any]]:
    """Per-operation ``EXPLAIN`` functions: (body, contract 400) -> a 400 naming the shape the caller meant."""
    found: dict[str, Callable[[Any, Any], Any]] = {}
    for module in handler_modules():
        found.update(getattr(module, "EXPLAIN", {}))
    return found
