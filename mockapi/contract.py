"""``mockapi.contract``: the contract at run time (:mod:`mockapi.core.contract`) and the client harness.

``from mockapi.contract import load_contract`` and ``@mockapi.contract.verify(...)`` both work: the
harness names (:mod:`mockapi.harness`) are imported on first use, so the core never imports them.
"""

from typing import Any

from mockapi.core.contract import (
    Contract,
    OperationSpec,
    format_path,
    load_contract,
    to_api_error,
)

__all__ = ["Contract", "OperationSpec", "format_path", "load_contract", "to_api_error"]
_HARNESS_NAMES = frozenset({"verify", "verify_client", "replay", "scenarios", "checks", "CheckFailure"})


def __getattr__(name: str) -> Any:
    """``mockapi.contract.verify`` and friends: the client harness, imported on first use."""
    if name in _HARNESS_NAMES:
        from mockapi import harness

        return getattr(harness, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
