"""The journal's tap on a stream: its frames kept as the client reads them, the entry settled however the stream ends.

A module of its own, kept out of the compiled hot path (mockapi/core/compiled.py): its ``finally`` marks the entry done
even when a client drops a stream unread, and a compiled generator dropped unclosed skips its ``finally``.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any, Iterator

from mockapi.core.results import Cut, Pause

from .journal_entry import MAX_FRAME, Entry, _text

if TYPE_CHECKING:
    from .journal import Journal

WEIGH_EVERY = 16 * 1024  # a stream's kept frames join the journal's weight in steps of this many characters


def capture(journal: "Journal", entry: Entry, chunks: Iterator[Any], started: float) -> Iterator[Any]:
    """``chunks`` passed on, each kept in ``entry`` up to its bounds (the journal's weight follows in steps)."""
    # Runs for every chunk of every stream: frames are kept raw (redacted when read, Entry.frames), and once
    # ``max_frames`` are kept the rest are only counted. What the kept frames weigh is added to the journal's
    # weight under its lock every ``WEIGH_EVERY`` characters and when the stream ends, not for each frame
    # (a lock, a settling and two calls a frame: a fifth of a 500-token chat stream's instructions).
    frames = entry._frames
    chunks = iter(chunks)
    unweighed = 0  # characters kept since the last weighing (not yet in ``entry.size``)
    beyond = 0  # chunks past the frame bound
    try:
        for chunk in chunks:
            if len(frames) >= entry.max_frames:
                chunks = itertools.chain((chunk,), chunks)
                break
            if isinstance(chunk, bytes):
                frame: bytes | str = chunk  # raw: redacted when read
                if len(chunk) > MAX_FRAME:  # rare: cut (and so redacted) now
                    entry.truncated = True
                    frame = _text(chunk[:MAX_FRAME], len(chunk), journal.known)
            elif isinstance(chunk, Cut):
                frame = f"[connection dropped: {chunk.reason}]"
            elif isinstance(chunk, Pause):
                yield chunk
                continue
            else:
                frame = repr(chunk)[:MAX_FRAME]
            size = len(frame)
            if entry.size + unweighed + size <= entry.max_stream_bytes:
                frames.append(frame)
                unweighed += size
                if unweighed >= WEIGH_EVERY:
                    journal._weigh(entry, unweighed)
                    unweighed = 0
            else:
                entry.frames_dropped += 1
                entry.truncated = True
            yield chunk
        for chunk in chunks:  # the frame bound was reached: what is left is counted (on the entry at the end), not kept
            if not isinstance(chunk, Pause):
                beyond += 1
            yield chunk
    finally:
        if unweighed:
            journal._weigh(entry, unweighed)
        if beyond:
            entry.frames_dropped += beyond
            entry.truncated = True
        entry.done = True
        entry.duration_ms = max(entry.duration_ms, (time.perf_counter() - started) * 1000)
