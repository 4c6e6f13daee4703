"""The Realtime session's audio without a socket: G.711 codecs and voice activity from energy."""

from __future__ import annotations

import array
import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.api.realtime import audio

PCMU, PCMA = {"type": "audio/pcmu"}, {"type": "audio/pcma"}


def _pcm(values: list[int]) -> bytes:
    return array.array("h", values).tobytes()


@given(st.lists(st.integers(-32768, 32767), min_size=3, max_size=300).map(lambda v: v[: len(v) - len(v) % 3]))
@settings(max_examples=60, deadline=None)
def test_g711_round_trips_within_its_quantisation_step(values: list[int]) -> None:
    kept = values[::3]  # 24 kHz down to 8 kHz keeps every third sample
    for fmt in (PCMU, PCMA):
        decoded = audio.decode(audio.encode(_pcm(values), fmt), fmt)
        assert len(decoded) == len(kept)
        for original, back in zip(kept, decoded):
            # G.711 keeps 4 bits of mantissa: the error is at most half a step, and a step is 1/16 to 1/32 of the value.
            assert abs(original - back) <= max(16, abs(original) // 8)


@given(st.floats(0, 1), st.integers(0, 40), st.integers(480, 4800), st.integers(0, 2**32))
@settings(max_examples=60, deadline=None)
def test_faint_noise_is_never_speech_whatever_the_threshold(threshold: float, amplitude: int, length: int, seed: int) -> None:
    r = random.Random(seed)
    noise = array.array("h", (r.randint(-amplitude, amplitude) for _ in range(length)))
    vad = audio.VoiceActivity(threshold=threshold, silence_ms=200, prefix_ms=0)
    assert vad.feed(noise) == []


def test_a_tone_starts_speech_at_its_first_frame_and_silence_stops_it() -> None:
    vad = audio.VoiceActivity(threshold=0.5, silence_ms=200, prefix_ms=100)
    silent = array.array("h", bytes(2 * 24000))  # 1 s
    loud = array.array("h", (int(8000 * math.sin(2 * math.pi * 200 * i / 24000)) for i in range(24000)))
    assert vad.feed(silent) == []
    assert vad.feed(loud) == [("started", 900)]  # 1000 ms minus 100 ms of prefix padding
    assert vad.feed(silent) == [("stopped", 2200)]  # the speech ended at 2000 ms, plus 200 ms of silence


def test_threshold_scales_what_counts_as_speech() -> None:
    quiet_tone = array.array("h", (int(600 * math.sin(2 * math.pi * 200 * i / 24000)) for i in range(4800)))  # RMS ~424
    assert audio.VoiceActivity(threshold=0.3).feed(quiet_tone)[:1] == [("started", 0)]
    assert audio.VoiceActivity(threshold=0.9).feed(quiet_tone) == []
