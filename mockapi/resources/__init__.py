"""One module per resource; each exports ``HANDLERS``: operationId -> function(call)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable


def discover_handlers() -> dict[str, Callable[[Any], Any]]:
    """Every operation handler of every resource module in this package."""
    handlers: dict[str, Callable[[Any], Any]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for operation_id, fn in getattr(module, "HANDLERS", {}).items():
            if operation_id in handlers:
                raise RuntimeError(f"two resources handle {operation_id}")
            handlers[operation_id] = fn
    return handlers


def discover_routes(engine: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    """Extra (path prefix, route) pairs from resource modules exporting ``routes(engine)``, e.g. asset URLs."""
    found: list[tuple[str, Callable[[Any], Any]]] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            make = getattr(importlib.import_module(f"{__name__}.{info.name}"), "routes", None)
            if callable(make):
                found.extend(make(engine))
    return found


def discover_explainers() -> dict[str, Callable[[Any, Any], Any]]:
    """Per-operation ``EXPLAIN`` functions: (body, contract 400) -> a 400 naming the shape the caller meant."""
    found: dict[str, Callable[[Any, Any], Any]] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            found.update(getattr(importlib.import_module(f"{__name__}.{info.name}"), "EXPLAIN", {}))
    return found
