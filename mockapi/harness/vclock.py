"""Virtual time for the client under test: its sleeps advance the engine clock instead of waiting.

While active, ``time.sleep``, ``asyncio.sleep`` and ``anyio.sleep`` called from the client's own
thread return at once and move the engine's (frozen) clock forward by the same amount; every
other thread (the live server, pytest) sleeps for real. A retry that waits 5 s as the server asked
costs nothing, and the gap between two attempts is exactly what the client chose to wait.
Code that bound ``sleep`` before the patch (``from time import sleep``) is not intercepted.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from mockapi.core.clock import Clock


class VirtualTime:
    """A context manager patching the sleeps of one thread (set ``thread`` before the client runs)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.thread: int | None = None
        self.slept: list[float] = []
        self._saved: list[tuple[Any, str, Any]] = []

    def _mine(self) -> bool:
        return self.thread is not None and threading.get_ident() == self.thread

    def _advance(self, seconds: float) -> None:
        seconds = max(0.0, float(seconds))
        self.slept.append(seconds)
        self.clock.advance(seconds)

    def __enter__(self) -> "VirtualTime":
        real_sleep, real_asleep = time.sleep, asyncio.sleep

        def sleep(seconds: float) -> None:
            if not self._mine():
                return real_sleep(seconds)
            self._advance(seconds)
            return None

        async def asleep(delay: float, result: Any = None) -> Any:
            if not self._mine():
                return await real_asleep(delay, result)
            self._advance(delay)
            return await real_asleep(0, result)

        self._patch(time, "sleep", sleep)
        self._patch(asyncio, "sleep", asleep)
        try:
            import anyio

            real_anyio = anyio.sleep

            async def anyio_sleep(delay: float) -> None:
                if not self._mine():
                    return await real_anyio(delay)
                self._advance(delay)
                return await real_anyio(0)

            self._patch(anyio, "sleep", anyio_sleep)
        except ImportError:
            pass
        return self

    def _patch(self, module: Any, name: str, value: Any) -> None:
        self._saved.append((module, name, getattr(module, name)))
        setattr(module, name, value)

    def __exit__(self, *exc: object) -> None:
        for module, name, value in reversed(self._saved):
            setattr(module, name, value)
        self._saved.clear()
