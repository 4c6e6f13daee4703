"""Audio output on Chat Completions (``modalities: ["text", "audio"]``), through the SDK."""

from __future__ import annotations

import base64
import io
import struct
import wave

import openai
import pytest
from test_audio import decoded_seconds, needs_ffmpeg, probe

QUESTION = [{"role": "user", "content": "Is a golden retriever a good family dog?"}]


def _speak(mock, fmt="wav", **kwargs):
    return mock.client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                               audio={"voice": "alloy", "format": fmt}, messages=QUESTION, **kwargs)


def test_audio_message_carries_a_real_wav_clip(mock):
    reply = _speak(mock)
    message = reply.choices[0].message
    assert message.content is None
    assert message.audio.id.startswith("audio_") and message.audio.transcript
    assert message.audio.expires_at > reply.created
    clip = wave.open(io.BytesIO(base64.b64decode(message.audio.data)))
    assert (clip.getframerate(), clip.getnchannels(), clip.getsampwidth()) == (24000, 1, 2)
    samples = struct.unpack(f"<{clip.getnframes()}h", clip.readframes(clip.getnframes()))
    assert max(samples) > 1000  # a signal, not silence
    usage = reply.usage
    assert usage.completion_tokens_details.audio_tokens > 0
    assert usage.completion_tokens > usage.completion_tokens_details.audio_tokens


@needs_ffmpeg
@pytest.mark.parametrize("fmt,codec", [("mp3", "mp3"), ("flac", "flac"), ("opus", "opus"), ("aac", "aac")])
def test_audio_formats_decode(mock, fmt, codec):
    data = base64.b64decode(_speak(mock, fmt).choices[0].message.audio.data)
    assert probe(data, fmt)["codec_name"] == codec
    assert decoded_seconds(data, fmt) > 0.5


def test_audio_streams_transcript_then_data_then_expiry(mock):
    chunks = list(_speak(mock, "pcm16", stream=True, stream_options={"include_usage": True}))
    audio = [c.choices[0].delta.audio for c in chunks if c.choices and c.choices[0].delta.audio]
    assert audio[0].id.startswith("audio_") and audio[0].transcript
    transcript = "".join(a.transcript or "" for a in audio)
    pcm = b"".join(base64.b64decode(a.data) for a in audio if a.data)
    assert transcript.strip() and len(pcm) % 2 == 0 and len(pcm) > 24000
    assert audio[-1].expires_at and audio[-1].data is None
    assert all(c.choices[0].delta.content in (None, "") for c in chunks if c.choices)
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].usage.completion_tokens_details.audio_tokens > 0


def test_follow_up_turn_refers_to_the_audio_by_id(mock):
    first = _speak(mock).choices[0].message.audio
    second = mock.client.chat.completions.create(
        model="gpt-4o-audio-preview", modalities=["text", "audio"], audio={"voice": "alloy", "format": "mp3"},
        messages=[*QUESTION, {"role": "assistant", "audio": {"id": first.id}}, {"role": "user", "content": "And a poodle?"}])
    assert second.choices[0].message.audio.transcript


def test_text_model_refuses_audio_output(mock):
    with pytest.raises(openai.BadRequestError) as err:
        mock.client.chat.completions.create(model="gpt-4o", modalities=["text", "audio"], audio={"voice": "alloy", "format": "wav"},
                                            messages=QUESTION)
    assert err.value.body["param"] == "modalities"


def test_audio_model_needs_audio_somewhere(mock):
    with pytest.raises(openai.BadRequestError) as err:
        mock.client.chat.completions.create(model="gpt-4o-audio-preview", messages=QUESTION)
    assert err.value.body["message"] == "This model requires that either input content or output modality contain audio."
    assert err.value.body["param"] == "model"
