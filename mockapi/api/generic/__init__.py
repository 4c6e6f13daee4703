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
    plan = _Plan(contract, frozenset(served))
    return {op.operation_id: LazyGeneric(op, plan) for op in contract.operations
            if op.operation_id not in served
            and (op.raw.get("x-sdk-method") or op.raw.get("responses", {}).get("200", {}).get("content"))}


class _Plan:
    """Which collections generic creates fill, worked out once, when the first generic operation is called.

    Classifying reads every operation's schemas: done at start-up it was ~100 ms of each new engine's first build.
    """

    def __init__(self, contract: Any, served: frozenset[str]) -> None:
        self.contract, self.served = contract, served
        self._found: tuple[set[str], set[str], set[str]] | None = None

    def __call__(self) -> tuple[set[str], set[str], set[str]]:
        """(collections generic creates fill, every known collection, collections nothing creates in)."""
        if self._found is None:  # two threads may both work it out: the same answer, so no lock
            known = collections(self.contract)
            creating = created_collections(self.contract, exclude=set(self.served))
            never = {template(c) for c in known} - created_collections(self.contract)
            self._found = (creating, known, never)
        return self._found


class LazyGeneric:
    """The generic handler of one operation, built on its first call."""

    def __init__(self, op: Any, plan: _Plan) -> None:
        self.op, self._plan = op, plan
        self._handle: Callable[[Any], Any] | None = None

    def __call__(self, call: Any) -> Any:
        """Answer ``call`` as :func:`handler_for` does."""
        if self._handle is None:
            creating, known, never = self._plan()
            self._handle = handler_for(self.op, creating, known, never)
        return self._handle(call)

    @property
    def generic_kind(self) -> str:
        """The operation's CRUD shape (COVERAGE.md names it)."""
        return classify(self.op, self._plan()[1]).kind
