"""Synthetic speech: one soft tone burst per word, with pauses at punctuation.

The burst lengths follow the words, so the duration grows with the input and shrinks with
``speed``; the pitch follows the voice. Samples are built by repeating precomputed blocks,
so even the longest input at the slowest speed renders quickly.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from .containers import SAMPLE_RATE

_TOKEN = re.compile(r"[^\W_]+|[.!?;:,]")
_SECONDS_PER_LETTER = 0.055
_SECONDS_PER_WORD = 0.09
_GAP = 0.06
_PAUSE = {".": 0.35, "!": 0.35, "?": 0.35, ";": 0.25, ":": 0.25, ",": 0.15}
_FADE = 240  # samples of fade-in and fade-out per burst (10 ms)
_AMPLITUDE = 6000


@dataclass(frozen=True)
class Plan:
    """The rendering plan: (period, samples) runs, where period 0 means silence."""

    runs: tuple[tuple[int, int], ...]

    @property
    def samples(self) -> int:
        """The total number of samples."""
        return sum(n for _, n in self.runs)

    @property
    def seconds(self) -> float:
        """The duration in seconds."""
        return self.samples / SAMPLE_RATE


def plan(text: str, speed: float, voice: str) -> Plan:
    """The bursts and pauses that speak ``text`` in ``voice`` at ``speed``."""
    period = 80 + sum(voice.encode()) % 80  # 150–300 Hz, a speaking pitch per voice
    runs: list[tuple[int, int]] = [(0, _samples(0.15, speed))]
    for token in _TOKEN.findall(text):
        if token in _PAUSE:
            runs.append((0, _samples(_PAUSE[token], speed)))
            continue
        burst = _samples(_SECONDS_PER_WORD + _SECONDS_PER_LETTER * len(token), speed)
        runs.append((period, max(2 * _FADE + period, burst - burst % period)))
        runs.append((0, _samples(_GAP, speed)))
    runs.append((0, _samples(0.2, speed)))
    return Plan(tuple(runs))


def pcm(p: Plan) -> Iterator[bytes]:
    """The plan's samples as 16-bit little-endian mono PCM."""
    for piece in pieces(p):
        yield bytes(2 * piece) if isinstance(piece, int) else piece


def pieces(p: Plan) -> Iterator[int | bytes]:
    """The plan in pieces: an int is that many silent samples, bytes are PCM of at most about 4096 samples.

    Equal pieces are the same cached objects, so an encoder can reuse its work on them (FLAC does).
    """
    for period, count in p.runs:
        if period == 0:
            yield count
            continue
        middle = count - 2 * _FADE
        size = max(1, 4096 // period) * period  # pieces start on a period boundary, so the phase runs on
        full, tail = divmod(middle, size)
        if tail < 16 and full:
            full, tail = full - 1, tail + size
        yield _fade(period, True)
        for _ in range(full):
            yield _run(period, size)
        if tail:
            yield _run(period, tail)
        yield _fade(period, False)


def _samples(seconds: float, speed: float) -> int:
    return max(1, int(round(SAMPLE_RATE * seconds / speed)))


@lru_cache(maxsize=512)
def _run(period: int, samples: int) -> bytes:
    wave = _period(period)
    whole, rest = divmod(samples, period)
    return wave * whole + wave[: 2 * rest]


@lru_cache(maxsize=64)
def _period(period: int) -> bytes:
    values = [int(_AMPLITUDE * math.sin(2 * math.pi * i / period)) for i in range(period)]
    return struct.pack(f"<{period}h", *values)


@lru_cache(maxsize=128)
def _fade(period: int, rising: bool) -> bytes:
    values = []
    for i in range(_FADE):
        gain = i / _FADE if rising else 1 - i / _FADE
        phase = i if rising else (i + (_FADE // period + 1) * period - _FADE) % period  # ends where a period ends
        values.append(int(gain * _AMPLITUDE * math.sin(2 * math.pi * (phase % period) / period)))
    return struct.pack(f"<{_FADE}h", *values)
