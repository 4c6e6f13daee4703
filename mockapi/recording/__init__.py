"""Record and replay: capture an OpenAI-compatible upstream's answers once, scrubbed, and serve them offline.

:mod:`.fixture` is the on-disk format, :mod:`.scrub` keeps secrets off disk, :mod:`.match` finds the
fixture of a request, :mod:`.proxy` forwards and records, :mod:`.hook` is the engine hook (installed
last, so faults, rate limits and latency wrap a replayed answer as they wrap a generated one),
:mod:`.objects` registers replayed stateful objects in the store, :mod:`.drift` checks recorded
answers against the current contract. See docs/record-replay.md.
"""

from __future__ import annotations

from .options import MODES, RecordingOptions

__all__ = ["MODES", "RecordingOptions"]
