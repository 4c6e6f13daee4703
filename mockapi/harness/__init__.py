"""Property-based contract checks for clients (:func:`verify`) and servers (:mod:`.server`).

``mockapi.contract`` re-exports these names, so ``@mockapi.contract.verify(scenarios=
mockapi.contract.scenarios.default())`` works next to ``from mockapi.contract import load_contract``.
Names are imported on first use, so importing the package (e.g. for the pytest fixture) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "CheckFailure": ".failure", "Run": ".runner", "ContractHarness": ".clients", "replay": ".clients",
    "verify": ".clients", "verify_client": ".clients", "checks": None, "scenarios": None,
}
__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    """The public names, imported lazily (Hypothesis and the SDK load only when used)."""
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _NAMES[name]
    value = importlib.import_module(f".{name}", __name__) if module is None else getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
