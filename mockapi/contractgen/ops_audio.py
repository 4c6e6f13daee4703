"""Contract sources for Audio: speech synthesis, transcription and translation."""

from . import Operation

_P = "openai.types.audio"
_MULTIPART = "multipart/form-data"

OPERATIONS = [
    Operation(
        "createSpeech", "POST", "/audio/speech", "Generate audio from text", "Audio",
        request=f"{_P}.speech_create_params:SpeechCreateParams",
        response_content="application/octet-stream",
        # stream_format=sse (not tts-1/tts-1-hd): `speech.audio.delta` events, then `speech.audio.done`;
        # the SDK has no types for them, so the contract only names them.
        extra={"sse-events": ["speech.audio.delta", "speech.audio.done"],
               "response-media-types": {"mp3": "audio/mpeg", "opus": "audio/ogg", "aac": "audio/aac",
                                        "flac": "audio/flac", "wav": "audio/wav", "pcm": "audio/pcm"}},
    ),
    Operation(
        "createTranscription", "POST", "/audio/transcriptions", "Transcribe audio", "Audio",
        request=f"{_P}.transcription_create_params:TranscriptionCreateParamsBase", request_content=_MULTIPART,
        response=f"{_P}.transcription_create_response:TranscriptionCreateResponse",
        stream_event=f"{_P}:TranscriptionStreamEvent", stream_dialect="transcription",
        extra={"text-formats": ["text", "srt", "vtt"]},
    ),
    Operation(
        "createTranslation", "POST", "/audio/translations", "Translate audio into English", "Audio",
        request=f"{_P}.translation_create_params:TranslationCreateParams", request_content=_MULTIPART,
        response=f"{_P}.translation_create_response:TranslationCreateResponse",
        extra={"text-formats": ["text", "srt", "vtt"]},
    ),
]
