"""Generic resources: every SDK operation without a handler of its own still answers, from the contract.

Plain CRUD (create, retrieve, update, list, delete; see :mod:`.classify`) keeps objects in the store
with the real id prefixes (:mod:`.crud`); other operations answer a conservative, contract-shaped
instance that echoes what the request asked for (:mod:`mockapi.core.synthesize`). Only operations the
SDK has (``x-sdk-method``) or whose answer the contract describes are served this way; anything else
without a handler is the engine's "not served by the mock yet" 404.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from .classify import classify, collections
from .crud import created_collections, handler_for, template

__all__ = ["classify", "fallbacks"]


def fallbacks(contract: Any, served: Mapping[str, Any]) -> dict[str, Callable[[Any], Any]]:
    """A generic handler for each contract operation that ``served`` has no handler for."""
    found: dict[str, Callable[[Any], Any]] = {}
    known = collections(contract)
    creating = created_collections(contract, exclude=set(served))
    never = {template(c) for c in known} - created_collections(contract)
    for op in contract.operations:
        if op.operation_id in served:
            continue
        if op.raw.get("x-sdk-method") or op.raw.get("responses", {}).get("200", {}).get("content"):
            found[op.operation_id] = handler_for(op, creating, known, never)
    return found
