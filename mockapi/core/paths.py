"""Where the mock finds its data: the contracts and the canned fixtures."""

from __future__ import annotations

import os
from pathlib import Path

_DATA = Path(__file__).resolve().parents[1] / "data"


def contracts_dir() -> Path:
    """The directory of the OpenAPI contract and its overlays."""
    return Path(os.environ.get("MOCKAPI_CONTRACTS_DIR") or _DATA / "contracts")


def fixtures_dir() -> Path:
    """The directory of built-in fixtures (model catalogue, corpus, tiers)."""
    return _DATA / "fixtures"
