"""Realtime audio: the session's formats (PCM16 24 kHz, G.711 µ-law and A-law 8 kHz) and voice activity.

Output audio is the speech synthesis of ``mockapi/api/audio/speech.py`` (24 kHz PCM16), resampled and
G.711-encoded when the session asks for ``audio/pcmu`` or ``audio/pcma``. Input audio is decoded back to
PCM16 so that server VAD judges the energy the client actually sent: RMS over 20 ms frames, speech
when it is above a threshold set by ``turn_detection.threshold`` (silence is never speech).
"""

from __future__ import annotations

import array
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mockapi.api.audio import speech

PCM_RATE, G711_RATE = 24000, 8000
FRAME_MS = 20
# RMS (of full scale 32768) that counts as speech at threshold 0.5; the threshold scales it (0..1 -> 0..2x).
_SPEECH_RMS_AT_HALF = 500.0


def format_of(fmt: Any) -> str:
    """The session's audio format type: ``audio/pcm``, ``audio/pcmu`` or ``audio/pcma``."""
    kind = fmt.get("type") if isinstance(fmt, dict) else fmt
    return {"pcm16": "audio/pcm", "g711_ulaw": "audio/pcmu", "g711_alaw": "audio/pcma"}.get(kind, kind or "audio/pcm")


def rate_of(fmt: Any) -> int:
    """Samples per second of a format."""
    return PCM_RATE if format_of(fmt) == "audio/pcm" else G711_RATE


def bytes_per_ms(fmt: Any) -> int:
    """Bytes one millisecond of audio takes in a format (PCM16: 48, G.711: 8)."""
    return 48 if format_of(fmt) == "audio/pcm" else 8


# -- G.711 (ITU-T G.711 segment encoding, as audioop did it) ---------------------------------------------
_ULAW_SEG_END = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)
_ALAW_SEG_END = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)


def _segment(value: int, ends: tuple[int, ...]) -> int:
    for i, end in enumerate(ends):
        if value <= end:
            return i
    return 8


def _ulaw(sample: int) -> int:
    sample = max(-32635, min(32635, sample)) >> 2
    mask = 0xFF if sample >= 0 else 0x7F
    sample = sample if sample >= 0 else -sample
    sample += 0x21
    seg = _segment(sample, _ULAW_SEG_END)
    if seg >= 8:
        return 0x7F ^ mask
    return ((seg << 4) | ((sample >> (seg + 1)) & 0xF)) ^ mask


def _alaw(sample: int) -> int:
    sample >>= 3
    mask = 0xD5 if sample >= 0 else 0x55
    sample = sample if sample >= 0 else -sample - 1
    seg = _segment(sample, _ALAW_SEG_END)
    if seg >= 8:
        return 0x7F ^ mask
    aval = seg << 4
    aval |= (sample >> 1) & 0xF if seg < 2 else (sample >> seg) & 0xF
    return aval ^ mask


def _ulaw_decode(byte: int) -> int:
    byte = ~byte & 0xFF
    t = ((byte & 0x0F) << 3) + 0x84
    t <<= (byte & 0x70) >> 4
    return (0x84 - t) if byte & 0x80 else (t - 0x84)


def _alaw_decode(byte: int) -> int:
    byte ^= 0x55
    t = (byte & 0x0F) << 4
    seg = (byte & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if byte & 0x80 else -t


_ULAW_ENC = bytes(_ulaw(s) for s in range(-32768, 32768))
_ALAW_ENC = bytes(_alaw(s) for s in range(-32768, 32768))
_ULAW_DEC = [_ulaw_decode(b) for b in range(256)]
_ALAW_DEC = [_alaw_decode(b) for b in range(256)]


def _samples(pcm: bytes) -> array.array:
    values = array.array("h")
    values.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _to_bytes(values: array.array) -> bytes:
    if sys.byteorder == "big":
        values = array.array("h", values)
        values.byteswap()
    return values.tobytes()


def encode(pcm24k: bytes, fmt: Any) -> bytes:
    """24 kHz PCM16 in the session's output format (G.711 keeps every third sample: 8 kHz)."""
    kind = format_of(fmt)
    if kind == "audio/pcm":
        return pcm24k
    table = _ULAW_ENC if kind == "audio/pcmu" else _ALAW_ENC
    return bytes(table[s + 32768] for s in _samples(pcm24k)[::3])


def decode(data: bytes, fmt: Any) -> array.array:
    """Audio in the session's input format as PCM16 samples (at the format's own rate)."""
    kind = format_of(fmt)
    if kind == "audio/pcm":
        return _samples(data)
    table = _ULAW_DEC if kind == "audio/pcmu" else _ALAW_DEC
    return array.array("h", (table[b] for b in data))


def synthesize(text: str, voice: str, speed: float, fmt: Any) -> bytes:
    """``text`` spoken in ``voice``, in the output format."""
    pcm = b"".join(speech.pcm(speech.plan(text or ".", speed or 1.0, voice or "alloy")))
    return encode(pcm, fmt)


def chunks(audio: bytes, fmt: Any, ms: int = 100) -> Iterator[tuple[bytes, float]]:
    """Audio in pieces of ``ms`` milliseconds, each with its duration in seconds."""
    size = bytes_per_ms(fmt) * ms
    for start in range(0, len(audio), size):
        piece = audio[start : start + size]
        yield piece, len(piece) / bytes_per_ms(fmt) / 1000


def rms(samples: array.array) -> float:
    """Root mean square of PCM16 samples."""
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


@dataclass
class VoiceActivity:
    """Server VAD over the audio appended so far: when speech starts and stops, in ms of the session's audio.

    source: the GA ``input_audio_buffer.speech_started`` docs: ``audio_start_ms`` counts "from the start of all
    audio written to the buffer during the session" and includes ``prefix_padding_ms``; ``audio_end_ms``
    includes ``silence_duration_ms``.
    """

    threshold: float = 0.5
    silence_ms: int = 200
    prefix_ms: int = 300
    rate: int = PCM_RATE
    position_ms: int = 0
    speaking: bool = False
    started_ms: int = 0
    quiet_ms: int = 0
    _pending: array.array = field(default_factory=lambda: array.array("h"))

    def feed(self, samples: array.array) -> list[tuple[str, int]]:
        """Process new samples; return ``("started", ms)`` / ``("stopped", ms)`` transitions."""
        self._pending.extend(samples)
        frame = self.rate * FRAME_MS // 1000
        level = _SPEECH_RMS_AT_HALF * 2 * max(0.0, min(1.0, float(self.threshold)))
        level = max(level, 50.0)  # even at threshold 0, digital silence and hiss are not speech
        out: list[tuple[str, int]] = []
        while len(self._pending) >= frame:
            chunk, self._pending = self._pending[:frame], self._pending[frame:]
            loud = rms(chunk) >= level
            if loud and not self.speaking:
                self.speaking, self.quiet_ms = True, 0
                self.started_ms = max(0, self.position_ms - self.prefix_ms)
                out.append(("started", self.started_ms))
            elif self.speaking and not loud:
                self.quiet_ms += FRAME_MS
                if self.quiet_ms >= self.silence_ms:
                    self.speaking = False
                    out.append(("stopped", self.position_ms + FRAME_MS - self.quiet_ms + self.silence_ms))
            elif loud:
                self.quiet_ms = 0
            self.position_ms += FRAME_MS
        return out

    def reset(self) -> None:
        """Forget the buffer (cleared or committed); offsets go on counting the session's audio."""
        self.position_ms += len(self._pending) * 1000 // self.rate
        self.speaking, self.quiet_ms = False, 0
        self._pending = array.array("h")
