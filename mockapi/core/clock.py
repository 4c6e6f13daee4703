"""The one clock: every timestamp the mock emits comes from here, so a test can freeze it."""

from __future__ import annotations

import threading
import time


class Clock:
    """A wall clock that can be frozen at an instant and advanced by hand."""

    def __init__(self, frozen_at: float | None = None) -> None:
        self._lock = threading.Lock()
        # A float even when frozen at a whole number: compiled (mockapi/core/compiled.py), ``now() -> float`` turns an
        # int into a float, and the source must answer the same.
        self._frozen_at = None if frozen_at is None else float(frozen_at)
        self._offset = 0.0

    def now(self) -> float:
        """Seconds since the epoch, as the mock sees them."""
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return time.time() + self._offset

    def timestamp(self) -> int:
        """Whole seconds since the epoch, for ``created`` fields."""
        return int(self.now())

    @property
    def frozen(self) -> bool:
        """Whether time stands still until advanced."""
        return self._frozen_at is not None

    def freeze(self, at: float | None = None) -> None:
        """Stop time at ``at`` (default: now)."""
        with self._lock:
            self._frozen_at = self.now() if at is None else float(at)

    def unfreeze(self) -> None:
        """Let time run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
            self._frozen_at = None

    def advance(self, seconds: float) -> float:
        """Move time forward (frozen or not) and return the new now."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        return self.now()
