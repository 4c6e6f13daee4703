"""Audio (§10): speech every real decoder accepts, and transcripts from one segment list, in both modes."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import tempfile
import tracemalloc

import openai
import pytest

from mockapi.core.engine import Request

FORMATS = {"mp3": ("mp3", "mp3", "audio/mpeg"), "opus": ("ogg", "opus", "audio/ogg"), "aac": ("aac", "aac", "audio/aac"),
           "flac": ("flac", "flac", "audio/flac"), "wav": ("wav", "pcm_s16le", "audio/wav"),
           "pcm": (None, None, "audio/pcm")}
VOICES = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"]
TEXT = "The quick brown fox jumps over the lazy dog. Then it naps in the warm afternoon sun, happily."

pytestmark = pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # translations are flagged deprecated

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffprobe") is None or shutil.which("ffmpeg") is None,
                                  reason="ffprobe/ffmpeg (Debian's ffmpeg package) is not installed; "
                                         "scripts/ensure-system-deps.sh installs it")


def probe(data: bytes, fmt: str) -> dict:
    """ffprobe's view of the container and its first stream."""
    with tempfile.NamedTemporaryFile(suffix="." + fmt) as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                              "format=format_name:stream=codec_name,sample_rate,channels",
                              "-of", "json", f.name], capture_output=True, text=True, check=True).stdout
    info = json.loads(out)
    return {**info["format"], **info["streams"][0]}


def decoded_seconds(data: bytes, fmt: str) -> float:
    """Decode with ffmpeg to 24 kHz mono PCM and measure it; a decode error fails the test."""
    raw = ["-f", "s16le", "-ar", "24000", "-ac", "1"] if fmt == "pcm" else []
    with tempfile.NamedTemporaryFile(suffix="." + fmt) as f:
        f.write(data)
        f.flush()
        run = subprocess.run(["ffmpeg", "-v", "error", "-xerror", *raw, "-i", f.name,
                              "-f", "s16le", "-ac", "1", "-ar", "24000", "-"],
                             capture_output=True, check=False)
    assert run.returncode == 0 and not run.stderr, run.stderr.decode()[:500]
    return len(run.stdout) / 2 / 24000


def speak(mock, **kwargs) -> bytes:
    args = {"model": "tts-1", "voice": "alloy", "input": TEXT, **kwargs}
    return mock.client.audio.speech.create(**args).content


def wav_seconds(data: bytes) -> float:
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    return (len(data) - 44) / 48000


# -- speech ------------------------------------------------------------------------------------

@needs_ffmpeg
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_decodes_with_the_right_type_and_duration(mock, fmt):
    container, codec, media_type = FORMATS[fmt]
    with mock.client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=TEXT,
                                                                  response_format=fmt) as response:
        assert response.headers["content-type"] == media_type
        data = b"".join(response.iter_bytes())
    expected = wav_seconds(speak(mock, response_format="wav"))
    if container:
        info = probe(data, fmt)
        assert container in info["format_name"] and info["codec_name"] == codec and info["channels"] == 1
    assert abs(decoded_seconds(data, fmt) - expected) < 0.1


@needs_ffmpeg
def test_flac_is_lossless_with_the_same_samples_as_pcm(mock):
    flac = speak(mock, response_format="flac")
    with tempfile.NamedTemporaryFile(suffix=".flac") as f:
        f.write(flac)
        f.flush()
        run = subprocess.run(["ffmpeg", "-v", "error", "-err_detect", "crccheck", "-xerror", "-i", f.name, "-f", "s16le", "-"],
                             capture_output=True, check=False)
    assert run.returncode == 0 and not run.stderr, run.stderr.decode()[:300]
    assert run.stdout == speak(mock, response_format="pcm")


def test_duration_grows_with_input_and_falls_with_speed(mock):
    short = wav_seconds(speak(mock, input="Hello there.", response_format="wav"))
    long = wav_seconds(speak(mock, input="Hello there. " * 10, response_format="wav"))
    fast = wav_seconds(speak(mock, input="Hello there. " * 10, response_format="wav", speed=2.0))
    slow = wav_seconds(speak(mock, input="Hello there. " * 10, response_format="wav", speed=0.5))
    assert long > 5 * short
    assert fast == pytest.approx(long / 2, rel=0.05) and slow == pytest.approx(long * 2, rel=0.05)


def test_pcm_is_24khz_16bit_samples_with_sound(mock):
    pcm = speak(mock, response_format="pcm")
    wav = speak(mock, response_format="wav")
    assert wav[44:] == pcm and len(pcm) % 2 == 0
    assert max(abs(int.from_bytes(pcm[i:i + 2], "little", signed=True)) for i in range(0, len(pcm), 200)) > 1000


def test_body_streams_in_chunks(mock):
    with mock.client.audio.speech.with_streaming_response.create(model="tts-1-hd", voice="nova", input=TEXT * 4,
                                                                  response_format="wav") as response:
        chunks = list(response.iter_bytes())
    assert len(chunks) > 3 and sum(map(len, chunks)) > 300_000


async def test_async_streaming(mock):
    async with mock.async_client.audio.speech.with_streaming_response.create(model="tts-1", voice="echo", input="Hi there",
                                                                              response_format="mp3") as response:
        data = b"".join([chunk async for chunk in response.iter_bytes()])
    assert data[:2] == b"\xff\xf3"


def test_same_request_same_bytes(mock):
    assert speak(mock, response_format="flac") == speak(mock, response_format="flac")
    assert speak(mock, response_format="wav", voice="onyx") != speak(mock, response_format="wav", voice="alloy")


@pytest.mark.parametrize("voice", VOICES)
def test_every_voice(mock, voice):
    # gpt-4o-mini-tts has every built-in voice; tts-1 has a subset (tests/test_models_catalogue.py).
    assert speak(mock, model="gpt-4o-mini-tts", input="Hi", voice=voice, response_format="wav")[:4] == b"RIFF"


def test_current_models_and_custom_voices(mock):
    data = speak(mock, model="gpt-4o-mini-tts", voice={"id": "voice_1234"}, instructions="Speak calmly.", response_format="wav")
    assert data[:4] == b"RIFF"


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"speed": 0.24}, "speed"),
        ({"speed": 4.01}, "speed"),
        ({"input": "x" * 4097}, "input"),
        ({"input": ""}, "input"),
        ({"voice": "robot"}, "voice"),
        ({"response_format": "ogg"}, "response_format"),
        ({"instructions": "Whisper."}, "instructions"),
        ({"stream_format": "sse"}, "stream_format"),  # not with tts-1
        ({"model": "gpt-4o"}, "model"),
    ],
)
def test_speech_limits_give_400(mock, kwargs, param):
    with pytest.raises(openai.BadRequestError) as info:
        speak(mock, **kwargs)
    assert info.value.body["param"] == param


def test_sse_stream_format_carries_the_same_audio(mock):
    with mock.client.audio.speech.with_streaming_response.create(model="gpt-4o-mini-tts", voice="coral", input=TEXT,
                                                                  response_format="wav", stream_format="sse") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: ")]
    assert [e["type"] for e in events[:-1]] == ["speech.audio.delta"] * (len(events) - 1)
    assert events[-1]["type"] == "speech.audio.done" and events[-1]["usage"]["input_tokens"] > 0
    audio = b"".join(base64.b64decode(e["audio"]) for e in events[:-1])
    assert audio == speak(mock, model="gpt-4o-mini-tts", voice="coral", response_format="wav")


def test_speech_limit_edges_pass(mock):
    assert speak(mock, input="x" * 4096, speed=4.0, response_format="pcm")
    assert speak(mock, input="Hi", speed=0.25, response_format="pcm")


# -- transcription and translation -------------------------------------------------------------

@pytest.fixture
def recording(mock) -> bytes:
    return speak(mock, input=TEXT * 2, response_format="wav")


def transcribe(mock, data: bytes, name: str = "speech.wav", **kwargs):
    return mock.client.audio.transcriptions.create(model="whisper-1", file=(name, data), **kwargs)


def test_all_formats_render_one_segment_list(mock, recording):
    plain = transcribe(mock, recording, response_format="text")
    as_json = transcribe(mock, recording)
    verbose = transcribe(mock, recording, response_format="verbose_json")
    srt = transcribe(mock, recording, response_format="srt")
    vtt = transcribe(mock, recording, response_format="vtt")
    assert plain.strip() == as_json.text == verbose.text
    assert verbose.words is None and verbose.segments
    assert " ".join(s.text.strip() for s in verbose.segments) == as_json.text
    stamp = r"\d{2}:\d{2}:\d{2}[,.]\d{3}"
    srt_blocks = [b for b in srt.strip().split("\n\n") if b]
    assert len(srt_blocks) == len(verbose.segments)
    for i, (block, segment) in enumerate(zip(srt_blocks, verbose.segments), 1):
        number, times, text = block.split("\n")
        assert number == str(i) and text == segment.text.strip()
        assert re.fullmatch(rf"{stamp} --> {stamp}", times) and "," in times
    assert vtt.startswith("WEBVTT\n\n") and re.search(r"\d{2}:\d{2}:\d{2}\.\d{3} --> ", vtt)
    assert abs(verbose.duration - wav_seconds(recording)) < 0.05
    assert verbose.segments[-1].end <= verbose.duration + 0.01
    mock.validate("createTranscription", as_json)
    mock.validate("createTranscription", verbose)


def test_words_only_with_the_word_granularity(mock, recording):
    words = transcribe(mock, recording, response_format="verbose_json", timestamp_granularities=["word"])
    assert words.words and all(w.start < w.end for w in words.words)
    assert " ".join(w.word for w in words.words).split() == [w.strip(".,!?") for w in words.text.split()]
    both = transcribe(mock, recording, response_format="verbose_json", timestamp_granularities=["word", "segment"])
    assert both.words and both.segments
    mock.validate("createTranscription", words)


def test_transcript_is_deterministic_per_file(mock, recording):
    other = speak(mock, input="Something else entirely.", response_format="wav")
    assert transcribe(mock, recording).text == transcribe(mock, recording, prompt="Technical talk", temperature=0).text
    assert transcribe(mock, recording).text != transcribe(mock, other).text


def test_language_prompt_and_temperature(mock, recording):
    verbose = transcribe(mock, recording, response_format="verbose_json", language="fr", prompt="Bonjour", temperature=0.3)
    assert verbose.language == "french" and verbose.segments[0].temperature == 0.3


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"response_format": "srt", "timestamp_granularities": ["word"]}, "timestamp_granularities"),
        ({"response_format": "json", "timestamp_granularities": ["segment"]}, "timestamp_granularities"),
        ({"temperature": 1.5}, "temperature"),
        ({"language": "english"}, "language"),
        ({"response_format": "mp3"}, "response_format"),
        ({"name": "notes.txt"}, None),
        ({"model": "tts-1"}, "model"),
        ({"model": "gpt-4o-transcribe", "response_format": "srt"}, "response_format"),
        ({"include": ["logprobs"]}, "include"),
    ],
)
def test_transcription_limits_give_400(mock, recording, kwargs, param):
    kwargs = dict(kwargs)
    args = {"model": "whisper-1", "file": (kwargs.pop("name", "speech.wav"), recording), **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.audio.transcriptions.create(**args)
    assert info.value.body["param"] == param


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        # openai/openai-dotnet#401, vercel/ai#8214
        ({"model": "gpt-4o-transcribe", "response_format": "verbose_json"},
         {"message": "response_format 'verbose_json' is not compatible with model 'gpt-4o-transcribe'. Use 'json' or "
                     "'text' instead.", "param": "response_format", "code": "unsupported_value"}),
        # B4PT0R/streamlit-mic-recorder#10
        ({"name": "notes.txt"},
         {"message": "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', "
                     "'ogg', 'wav', 'webm']", "param": None, "code": None}),
    ],
)
def test_transcription_refusals_are_the_real_400s(mock, recording, kwargs, body):
    kwargs = dict(kwargs)
    args = {"model": "whisper-1", "file": (kwargs.pop("name", "speech.wav"), recording), **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.audio.transcriptions.create(**args)
    assert info.value.body == {**body, "type": "invalid_request_error"}


def test_gpt_transcribe_takes_text(mock, recording):
    # the GPT transcription models' refusal names json and text as their formats (vercel/ai#8214)
    text = mock.client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=("a.wav", recording),
                                                   response_format="text")
    assert isinstance(text, str) and text.strip()


def test_accepted_file_types(mock, recording):
    for name in ["a.mp3", "a.mp4", "a.mpeg", "a.mpga", "a.m4a", "a.wav", "a.webm", "a.flac", "a.ogg"]:
        assert transcribe(mock, recording, name=name).text


def test_over_25_mb_is_413_in_the_openai_shape(mock):
    big = b"\xff\xfb\x90\x00" + bytes(25 * 1024 * 1024 - 3)
    with pytest.raises(openai.APIStatusError) as info:
        transcribe(mock, big, name="long.mp3")
    assert info.value.status_code == 413
    error = info.value.body
    # The whole request is over the real server's 26214400-byte content limit; its observed body names no param
    # (github.com/chidiwilliams/buzz/issues/381).
    assert error["type"] == "invalid_request_error" and error["param"] is None
    assert error["message"].startswith("Maximum content size limit (26214400) exceeded (")


def test_upload_is_read_with_a_bounded_buffer(mock):
    size = 20 * 1024 * 1024
    boundary = "b0undary"
    spooled = tempfile.SpooledTemporaryFile(max_size=1 << 20)
    spooled.write(f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'.encode())
    spooled.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n'
                  "Content-Type: audio/mpeg\r\n\r\n".encode())
    chunk = bytes(1 << 20)
    for _ in range(size // len(chunk)):
        spooled.write(chunk)
    spooled.write(f"\r\n--{boundary}--\r\n".encode())
    request = Request("POST", "/v1/audio/transcriptions", {"authorization": "Bearer sk-test-0123456789",
                                                           "content-type": f"multipart/form-data; boundary={boundary}"},
                      body_file=spooled)
    tracemalloc.start()
    try:
        reply = mock.engine.handle(request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reply.status == 200, reply.body
    assert peak < 4 * 1024 * 1024  # a 20 MB upload, never whole in memory


def test_gpt_transcribe_models_json_usage_and_logprobs(mock, recording):
    result = mock.client.audio.transcriptions.create(model="gpt-4o-transcribe", file=("a.wav", recording),
                                                     include=["logprobs"])
    assert result.text and result.usage.type == "tokens" and result.logprobs
    mock.validate("createTranscription", result)
    diarized = mock.client.audio.transcriptions.create(model="gpt-4o-transcribe-diarize", file=("a.wav", recording),
                                                       response_format="diarized_json")
    assert {s.speaker for s in diarized.segments} <= {"A", "B"} and diarized.text
    mock.validate("createTranscription", diarized)


def test_gpt_transcribe_streams_deltas_then_done(mock, recording):
    stream = mock.client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=("a.wav", recording), stream=True,
                                                     include=["logprobs"])
    events = list(stream)
    assert {e.type for e in events[:-1]} == {"transcript.text.delta"} and events[-1].type == "transcript.text.done"
    assert "".join(e.delta for e in events[:-1]) == events[-1].text and events[-1].logprobs
    plain = mock.client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=("a.wav", recording))
    assert events[-1].text == plain.text
    for event in events:
        mock.validate("createTranscription", event, stream=True)
    diarized = list(mock.client.audio.transcriptions.create(model="gpt-4o-transcribe-diarize", file=("a.wav", recording),
                                                            stream=True))
    assert diarized[0].type == "transcript.text.segment" and diarized[-1].type == "transcript.text.done"


def test_whisper_ignores_stream(mock, recording):
    response = mock.client.audio.transcriptions.with_raw_response.create(model="whisper-1", file=("a.wav", recording),
                                                                         stream=False, extra_body={"stream": "true"})
    assert response.headers["content-type"].startswith("application/json")


def test_translation_formats(mock, recording):
    translation = mock.client.audio.translations.create(model="whisper-1", file=("speech.wav", recording))
    verbose = mock.client.audio.translations.create(model="whisper-1", file=("speech.wav", recording),
                                                    response_format="verbose_json")
    text = mock.client.audio.translations.create(model="whisper-1", file=("speech.wav", recording), response_format="text")
    srt = mock.client.audio.translations.create(model="whisper-1", file=("speech.wav", recording), response_format="srt")
    assert translation.text == verbose.text == text.strip() and verbose.language == "english"
    assert srt.startswith("1\n00:00:00,000 --> ")
    mock.validate("createTranslation", translation)
    mock.validate("createTranslation", verbose)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.audio.translations.create(model="gpt-4o-transcribe", file=("speech.wav", recording))
    assert info.value.body["param"] == "model"


def test_upload_through_a_file_object(mock, recording):
    result = mock.client.audio.transcriptions.create(model="whisper-1", file=("speech.wav", io.BytesIO(recording)))
    assert result.text
