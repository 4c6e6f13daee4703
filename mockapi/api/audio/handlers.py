"""Audio: speech synthesis, transcription and translation (reference §10, seed-inventory E4–E6, §2.11)."""

from __future__ import annotations

import base64
from typing import Any, Iterator

from mockapi.core.determinism import rng
from mockapi.core.engine import Call
from mockapi.core.errors import (
    InvalidRequestError,
    InvalidValueError,
    PayloadTooLargeError,
    supported_values,
)
from mockapi.core.forms import Form, Upload, parse_form, typed_fields
from mockapi.core.results import Binary, Event, Stream
from mockapi.core.tokenizer import count_tokens

from . import containers as audio
from . import speech, transcript

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar")
LEGACY_TTS = ("tts-1", "tts-1-hd")
MAX_AUDIO_BYTES = 25 * 1024 * 1024
AUDIO_EXTENSIONS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")
_AUDIO_TYPES = {"audio/flac": "flac", "audio/x-flac": "flac", "audio/mp4": "m4a", "audio/x-m4a": "m4a",
                "audio/mpeg": "mp3", "audio/mp3": "mp3", "video/mp4": "mp4", "audio/ogg": "ogg", "audio/wav": "wav",
                "audio/x-wav": "wav", "audio/wave": "wav", "audio/webm": "webm", "video/webm": "webm"}
# Response formats each transcription model accepts (the SDK's docstrings; the GPT transcription models take
# json or text, as their refusal says: github.com/vercel/ai/issues/8214, github.com/openai/openai-dotnet/issues/401).
_FORMATS = {"whisper": ("json", "text", "srt", "verbose_json", "vtt"), "diarize": ("json", "text", "diarized_json"),
            "gpt": ("json", "text")}


def create_speech(call: Call) -> Binary | Stream:
    """``POST /v1/audio/speech``: audio in the requested container, streamed in chunks (or as SSE events)."""
    body = call.body
    model = call.model(kinds=("speech",))
    voice = _voice(body["voice"], model.voices or VOICES)
    legacy = model.id in LEGACY_TTS or (model.base or "") in LEGACY_TTS
    if body.get("instructions") and legacy:
        raise InvalidRequestError(f"instructions are not supported with {model.id}.", param="instructions")
    sse = body.get("stream_format") == "sse"
    if sse and legacy:
        raise InvalidRequestError(f"stream_format 'sse' is not supported with {model.id}; use 'audio'.",
                                  param="stream_format", code="unsupported_value")
    fmt = body.get("response_format") or "mp3"
    p = speech.plan(body["input"], float(body.get("speed") or 1.0), voice)
    tokens = count_tokens(body["input"])
    call.charged_tokens = tokens
    chunks = audio.encode(fmt, speech.pieces(p), p.samples)
    if sse:
        return Stream(events=_speech_events(chunks, tokens, p.seconds), dialect="speech")
    return Binary(chunks=chunks, media_type=audio.MEDIA_TYPES[fmt])


def _speech_events(chunks: Iterator[bytes], input_tokens: int, seconds: float) -> Iterator[Event]:
    """``speech.audio.delta`` events carrying base64 audio, then ``speech.audio.done`` with usage."""
    for chunk in chunks:
        yield Event({"type": "speech.audio.delta", "audio": base64.b64encode(chunk).decode()})
    output = max(1, int(seconds * 20))  # audio tokens, at about 20 a second
    yield Event({"type": "speech.audio.done",
                 "usage": {"input_tokens": input_tokens, "output_tokens": output, "total_tokens": input_tokens + output}})


def create_transcription(call: Call) -> Any:
    """``POST /v1/audio/transcriptions``: the upload's transcript in the requested format."""
    return _transcribe(call, "transcribe")


def create_translation(call: Call) -> Any:
    """``POST /v1/audio/translations``: the upload's English translation."""
    return _transcribe(call, "translate")


def _transcribe(call: Call, task: str) -> Any:
    form = parse_form(call.request, MAX_AUDIO_BYTES, _too_large)
    upload = _read_form(call, form)
    model = call.model(kinds=("audio",))
    body = call.body
    fmt = body.get("response_format") or "json"
    family = "diarize" if "diarize" in model.id else "whisper" if model.id.startswith("whisper") else "gpt"
    if task == "translate" and family != "whisper":
        raise InvalidRequestError(f"The model `{model.id}` does not support translations; use whisper-1.", param="model",
                                  code="model_not_supported")
    allowed = _FORMATS[family]
    if fmt not in allowed:
        # source: {"message": "response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe'. Use
        # 'json' or 'text' instead.", "type": "invalid_request_error", "param": "response_format", "code":
        # "unsupported_value"} (github.com/openai/openai-dotnet/issues/401, github.com/vercel/ai/issues/8214,
        # github.com/Thinline-Dynamic-Solutions/ThinLineRadio/issues/114); the other families' lists in the same words
        listed = ", ".join(repr(a) for a in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise InvalidRequestError(f"response_format '{fmt}' is not compatible with model '{model.id}'. "
                                  f"Use {listed} instead.", param="response_format", code="unsupported_value")
    granularities = body.get("timestamp_granularities") or []
    if granularities and fmt != "verbose_json":
        raise InvalidRequestError("timestamp_granularities requires response_format=verbose_json.",
                                  param="timestamp_granularities")
    include = body.get("include") or []
    if include and (family != "gpt" or fmt != "json"):
        raise InvalidRequestError(f"include is only supported with response_format json on the GPT transcription "
                                  f"models, not {model.id}.", param="include")
    language = body.get("language") or "en"
    if body.get("language") is not None and language not in transcript.LANGUAGES and not (
            len(language) == 2 and language.isalpha() and language.islower()):
        raise InvalidValueError(f"Invalid language '{language}'. Language parameter must be specified in ISO-639-1 "
                                "format.", param="language")
    seconds = transcript.estimate_seconds(upload.head, upload.size)
    if seconds < 0.1:
        # source: {"message": "Audio file is too short. Minimum audio length is 0.1 seconds.", "type":
        # "invalid_request_error", "param": "file", "code": "audio_too_short"} (github.com/UpstreetAI/usdk/issues/637)
        raise InvalidRequestError("Audio file is too short. Minimum audio length is 0.1 seconds.", param="file",
                                  code="audio_too_short")
    r = rng(call.seed, "transcript", task, upload.sha256)  # the same file reads the same in every format
    t = transcript.build(r, seconds, "en" if task == "translate" else language)
    usage = transcript.token_usage(t) if family != "whisper" else {"type": "duration", "seconds": max(1, round(t.duration))}
    if body.get("stream") in (True, "true") and family != "whisper":  # whisper-1 ignores `stream`
        events = transcript.stream_events(t, diarized=family == "diarize", usage=usage,
                                          r=call.rng("logprobs") if include else None)
        call.charged_tokens = count_tokens(t.text)
        return Stream(events=(Event(e) for e in events), dialect="transcription")
    result = transcript.render(t, fmt, words="word" in granularities, temperature=float(body.get("temperature") or 0.0),
                               task=task, usage=usage if task == "transcribe" else None, r=call.rng("segments"))
    if include and isinstance(result, dict):
        result["logprobs"] = transcript.logprobs(t, call.rng("logprobs"))
    call.charged_tokens = count_tokens(t.text)
    if isinstance(result, str):
        media = "text/vtt" if fmt == "vtt" else "text/plain"
        return Binary(chunks=[result.encode()], media_type=f"{media}; charset=utf-8")
    return result


def _read_form(call: Call, form: Form) -> Upload:
    """Check the form against the contract, make it the call's body, and return the audio upload."""
    upload = form.file("file")
    body = typed_fields(form.fields, call.op.request_schema or {})
    if upload is not None:
        body["file"] = upload.sha256
    call.body = body
    call.engine.contract.validate_request(call.op, body, faithful=call.faithful)
    assert upload is not None  # the contract requires `file`
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if extension not in AUDIO_EXTENSIONS and _AUDIO_TYPES.get(upload.content_type.split(";")[0]) is None:
        # source: {'message': "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga',
        # 'oga', 'ogg', 'wav', 'webm']", 'type': 'invalid_request_error', 'param': None, 'code': None}
        # (github.com/B4PT0R/streamlit-mic-recorder/issues/10; the same words in
        # github.com/martin-opensky/whisper-assistant-vscode/issues/23)
        raise InvalidRequestError(f"Invalid file format. Supported formats: {list(AUDIO_EXTENSIONS)}")
    return upload


def _too_large(upload: Upload) -> PayloadTooLargeError:
    # the real wording; its observed body names no param (github.com/chidiwilliams/buzz/issues/381). The door's
    # body limit (limits.max_multipart_bytes.audio) usually refuses such a request before this runs.
    return PayloadTooLargeError(f"Maximum content size limit ({MAX_AUDIO_BYTES}) exceeded ({upload.size} bytes read)")


def _voice(value: Any, voices: tuple[str, ...]) -> str:
    """The voice's name; a built-in voice must be one the model has (its catalogue entry lists them).

    source: tts-1 refuses ``ballad`` with a 400 (github.com/anasfik/openai/issues/224); the newer voices
    (ballad, verse, marin, cedar) are gpt-4o-mini-tts's (https://platform.openai.com/docs/guides/text-to-speech).
    """
    if isinstance(value, dict):
        return str(value.get("id") or "custom")
    if value not in voices:
        raise InvalidValueError(f"Invalid value: '{value}'. Supported values are: {supported_values(voices)}.",
                                param="voice")
    return str(value)


HANDLERS = {"createSpeech": create_speech, "createTranscription": create_transcription,
            "createTranslation": create_translation}
