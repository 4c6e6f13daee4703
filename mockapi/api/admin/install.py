"""What the Administration API adds to every request's way: the usage recorder and the revoked-key check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import recorder, revocation

if TYPE_CHECKING:
    from mockapi.core.engine import Engine


def install(engine: "Engine") -> None:
    """Count model traffic for usage and costs; refuse keys deleted through the Administration API."""
    recorder.install(engine)
    revocation.install(engine)
