"""Property-based contract checks for clients (:func:`verify`) and servers (:mod:`.server`).

``mockapi.contract`` re-exports these names, so ``@mockapi.contract.verify(scenarios=
mockapi.contract.scenarios.default())`` works next to ``from mockapi.contract import load_contract``.
"""

from __future__ import annotations

from . import checks, scenarios
from .failure import CheckFailure
from .runner import Run
from .verify import ContractHarness, replay, verify, verify_client

__all__ = ["CheckFailure", "ContractHarness", "Run", "checks", "replay", "scenarios", "verify", "verify_client"]
