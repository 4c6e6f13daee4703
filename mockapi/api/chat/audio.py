"""Audio output on Chat Completions: ``modalities: ["text", "audio"]`` with an audio-capable model.

The answer's text becomes the transcript of a spoken clip (the same synthetic speech as
``/v1/audio/speech``); ``message.content`` is null and ``message.audio`` carries the clip.
Streaming sends the transcript first, then the audio data in base64 pieces, then a chunk with
only ``expires_at``, as the real stream does (observed chunks quoted in
https://community.openai.com/t/how-to-replace-my-gpt-tts-call-for-better-performance/1004420
and openai/openai-node#1991).
"""

from __future__ import annotations

import base64
from typing import Any, Iterator

from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError

from ..audio import containers as containers
from ..audio import speech
from .request import ChatRequest

_FORMATS = {"pcm16": "pcm", "wav": "wav", "mp3": "mp3", "flac": "flac", "opus": "opus", "aac": "aac"}
_EXPIRES_AFTER = 3600  # audio ids stay usable for follow-up turns for an hour
_TOKENS_PER_SECOND = 20  # output audio tokens, as for /v1/audio/speech
_DATA_CHUNK = 4800  # bytes per streamed `data` piece: 0.1 s of pcm16, a multiple of 3 so the pieces join as base64 too


def speaks(model: ModelInfo) -> bool:
    """Whether ``model`` can produce (and requires) audio on Chat Completions."""
    return model.audio  # the catalogue says which models speak (fixtures/models.yaml)


def wanted(body: dict[str, Any]) -> bool:
    """Whether the request asks for audio output."""
    return "audio" in (body.get("modalities") or [])


def check(request: ChatRequest, model: ModelInfo) -> None:
    """The real API's 400s for audio output asked of the wrong model, or an audio model asked for none."""
    body = request.body
    if wanted(body) and not speaks(model):
        # The real API refuses audio output from a text-only model; the exact wording is not
        # captured in any public report we found, so this message is ours.
        raise InvalidRequestError(f"This model does not support the audio modality: {model.id} can only output text.",
                                  param="modalities", code="invalid_value")
    if speaks(model) and not wanted(body) and not _has_audio_input(request):
        # source: the real 400 quoted in CherryHQ/cherry-studio#1179 and truefoundry/models#822
        raise InvalidRequestError("This model requires that either input content or output modality contain audio.",
                                  param="model", code="invalid_value")


def _has_audio_input(request: ChatRequest) -> bool:
    for message in request.messages:
        if message.get("audio"):
            return True
        content = message.get("content")
        if isinstance(content, list) and any(isinstance(p, dict) and p.get("type") == "input_audio" for p in content):
            return True
    return False


def speak(transcript: str, body: dict[str, Any], ident: str, index: int, now: int) -> tuple[dict[str, Any], int]:
    """``message.audio`` for ``transcript`` (id, base64 clip, expiry, transcript) and its audio token count."""
    options = body.get("audio") or {}
    fmt = _FORMATS.get(str(options.get("format") or "wav"), "wav")
    plan = speech.plan(transcript, 1.0, str(options.get("voice") or "alloy"))
    clip = b"".join(containers.encode(fmt, speech.pieces(plan), plan.samples))
    audio = {"id": make_id("audio_", ident, index, length=32, alphabet=HEX), "data": base64.b64encode(clip).decode(),
             "expires_at": now + _EXPIRES_AFTER, "transcript": transcript}
    return audio, max(1, int(plan.seconds * _TOKENS_PER_SECOND))


def deltas(audio: dict[str, Any], transcript_pieces: list[str]) -> Iterator[dict[str, Any]]:
    """The ``delta`` objects that stream ``audio``: transcript pieces, data pieces, then the expiry."""
    first = True
    for piece in transcript_pieces:
        delta: dict[str, Any] = {"audio": {"transcript": piece}}
        if first:
            delta = {"content": None, "audio": {"id": audio["id"], "transcript": piece}}
            first = False
        yield delta
    clip = base64.b64decode(audio["data"])
    for start in range(0, len(clip), _DATA_CHUNK):
        data = base64.b64encode(clip[start : start + _DATA_CHUNK]).decode()
        yield {"audio": {"id": audio["id"], "data": data}} if start == 0 else {"audio": {"data": data}}
    yield {"audio": {"expires_at": audio["expires_at"]}}
