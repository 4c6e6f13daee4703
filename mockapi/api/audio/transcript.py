"""Transcripts: one segment list per upload, rendered as json, text, srt, vtt, verbose_json or diarized_json.

The words come from the corpus, chosen by an RNG seeded from the upload's digest, so the same
file always gives the same transcript in every format; timings spread the words over the
audio's estimated duration at a speaking rate.
"""

from __future__ import annotations

import random
import re
import struct
from dataclasses import dataclass
from typing import Any

from mockapi.content.textgen import sentences
from mockapi.core.tokenizer import count_tokens, token_id, tokenize

WORDS_PER_SECOND = 2.5
LANGUAGES = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "ja": "japanese", "zh": "chinese", "ko": "korean", "ru": "russian", "pl": "polish",
    "sv": "swedish", "tr": "turkish", "uk": "ukrainian", "ar": "arabic", "hi": "hindi", "da": "danish",
    "fi": "finnish", "no": "norwegian", "cs": "czech", "el": "greek", "he": "hebrew", "id": "indonesian",
}


@dataclass(frozen=True)
class Segment:
    """One timed stretch of the transcript, with its words' timings."""

    start: float
    end: float
    text: str
    words: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Transcript:
    """The whole transcript: its segments, its duration and the language reported."""

    segments: tuple[Segment, ...]
    duration: float
    language: str

    @property
    def text(self) -> str:
        """The full text."""
        return " ".join(s.text for s in self.segments)


def estimate_seconds(head: bytes, size: int) -> float:
    """The audio's duration from its header when it is WAV or MP3, else from its size at 128 kbit/s."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        rate = _wav_byte_rate(head)
        if rate:
            return max(0.0, (size - 44) / rate)
    bitrate = _mp3_bitrate(head)
    return size * 8 / (bitrate or 128_000)


def build(r: random.Random, seconds: float, language: str) -> Transcript:
    """A transcript of ``seconds`` of speech, worded by ``r``."""
    target = max(1, int(seconds * WORDS_PER_SECOND * 4 / 3))
    text = sentences(r, target)
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", text) if p.strip()]
    words_total = max(1, sum(len(p.split()) for p in parts))
    per_word = max(seconds, 0.1) / words_total
    segments, clock = [], 0.0
    for part in parts:
        words = part.split()
        timed = []
        for word in words:
            timed.append((word.strip(".,!?;:\"'"), round(clock, 2), round(clock + per_word, 2)))
            clock += per_word
        start, end = timed[0][1], timed[-1][2]
        segments.append(Segment(start, end, part, tuple(timed)))
    return Transcript(tuple(segments), round(max(seconds, 0.1), 2), LANGUAGES.get(language, language))


def render(t: Transcript, fmt: str, *, words: bool, temperature: float, task: str, usage: dict[str, Any] | None,
           r: random.Random) -> Any:
    """The transcript in ``fmt``: a dict for the JSON formats, text for the others."""
    if fmt == "text":
        return t.text + "\n"
    if fmt == "srt":
        return "".join(f"{i}\n{_stamp(s.start, ',')} --> {_stamp(s.end, ',')}\n{s.text}\n\n"
                       for i, s in enumerate(t.segments, 1))
    if fmt == "vtt":
        return "WEBVTT\n\n" + "".join(f"{_stamp(s.start, '.')} --> {_stamp(s.end, '.')}\n{s.text}\n\n" for s in t.segments)
    if fmt == "diarized_json":
        segments = [{"type": "transcript.text.segment", "id": f"seg_{i}", "start": s.start, "end": s.end,
                     "text": s.text, "speaker": "AB"[i % 2]} for i, s in enumerate(t.segments)]
        return {"task": "transcribe", "duration": t.duration, "text": t.text, "segments": segments,
                **({"usage": usage} if usage else {})}
    if fmt == "verbose_json":
        body: dict[str, Any] = {"task": task, "language": t.language, "duration": t.duration, "text": t.text,
                                "segments": [_segment(i, s, temperature, r) for i, s in enumerate(t.segments)]}
        if words:
            body["words"] = [{"word": w, "start": a, "end": b} for s in t.segments for w, a, b in s.words]
        if usage:
            body["usage"] = usage
        return body
    return {"text": t.text, **({"usage": usage} if usage else {})}


def logprobs(t: Transcript, r: random.Random) -> list[dict[str, Any]]:
    """Per-token log probabilities of the text (``include=["logprobs"]``)."""
    return [{"token": tok, "logprob": round(-r.random() * 0.3, 6), "bytes": list(tok.encode())} for tok in tokenize(t.text)]


def stream_events(t: Transcript, *, diarized: bool, usage: dict[str, Any], r: random.Random | None) -> list[dict[str, Any]]:
    """The streamed transcript: text deltas (or speaker segments when diarized), then ``transcript.text.done``."""
    events: list[dict[str, Any]] = []
    if diarized:
        events += [{"type": "transcript.text.segment", "id": f"seg_{i}", "start": s.start, "end": s.end, "text": s.text,
                    "speaker": "AB"[i % 2]} for i, s in enumerate(t.segments)]
    else:
        for token in tokenize(t.text):
            event: dict[str, Any] = {"type": "transcript.text.delta", "delta": token}
            if r is not None:
                event["logprobs"] = [{"token": token, "logprob": round(-r.random() * 0.3, 6), "bytes": list(token.encode())}]
            events.append(event)
    done: dict[str, Any] = {"type": "transcript.text.done", "text": t.text, "usage": usage}
    if r is not None:
        done["logprobs"] = logprobs(t, r)
    return events + [done]


def token_usage(t: Transcript) -> dict[str, Any]:
    """Token usage, as the GPT transcription models report it."""
    audio = max(1, int(t.duration * 10))
    output = count_tokens(t.text)
    return {"type": "tokens", "input_tokens": audio, "output_tokens": output, "total_tokens": audio + output,
            "input_token_details": {"audio_tokens": audio, "text_tokens": 0}}


def _segment(index: int, s: Segment, temperature: float, r: random.Random) -> dict[str, Any]:
    return {"id": index, "seek": int(s.start * 100), "start": s.start, "end": s.end, "text": " " + s.text,
            "tokens": [token_id(tok) for tok in tokenize(" " + s.text)], "temperature": temperature,
            "avg_logprob": round(-0.15 - r.random() * 0.3, 6), "compression_ratio": round(1.2 + r.random() * 0.4, 6),
            "no_speech_prob": round(r.random() * 0.02, 6)}


def _stamp(seconds: float, mark: str) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{mark}{ms:03d}"


def _wav_byte_rate(head: bytes) -> int:
    at = 12
    while at + 8 <= len(head):
        chunk, size = head[at:at + 4], struct.unpack("<I", head[at + 4:at + 8])[0]
        if chunk == b"fmt " and at + 20 <= len(head):
            return int(struct.unpack("<I", head[at + 16:at + 20])[0])
        at += 8 + size + (size & 1)
    return 0


_MP3_RATES = {3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
              2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]}


def _mp3_bitrate(head: bytes) -> int:
    start = 0
    if head[:3] == b"ID3" and len(head) >= 10:
        start = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F))
    if start + 4 > len(head) or head[start] != 0xFF or head[start + 1] & 0xE0 != 0xE0:
        return 0
    version = 3 if (head[start + 1] >> 3) & 3 == 3 else 2
    index = head[start + 2] >> 4
    return _MP3_RATES[version][index] * 1000 if 0 < index < 15 else 0
