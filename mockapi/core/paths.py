"""Where the mock finds its data: the contracts and the built-in fixtures.

In a checkout they are the top-level ``contracts/`` and ``fixtures/`` directories; an installed
wheel carries copies under ``mockapi/data/`` (setup.py copies them at build time). No symlinks.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE / "data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def contracts_dir() -> Path:
    """The directory of the OpenAPI contract and its overlays."""
    return Path(os.environ.get("MOCKAPI_CONTRACTS_DIR") or _data_dir("contracts"))


def fixtures_dir() -> Path:
    """The directory of built-in fixtures (model catalogue, corpus, tiers)."""
    return _data_dir("fixtures")


def in_checkout() -> bool:
    """True when running from a source checkout (the contract generator and coverage table need one)."""
    return (_PACKAGE.parent / "contracts").is_dir() and (_PACKAGE.parent / "pyproject.toml").is_file()
