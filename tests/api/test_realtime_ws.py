"""The Realtime API over WebSocket, driven through the real SDK's ``client.realtime.connect`` (sync and async).

The SDK opens its WebSocket with the ``websockets`` package directly, which no httpx transport can
intercept, so these tests run against the live server only. Every server event received is validated
against the SDK's own ``RealtimeServerEvent`` union.
"""

from __future__ import annotations

import array
import base64
import json
import math
import shutil
import subprocess
import wave
from io import BytesIO
from typing import Any

import openai
import pydantic
import pytest
from conftest import API_KEY, Mock
from openai.types.realtime import RealtimeServerEvent
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

SERVER_EVENT = pydantic.TypeAdapter(RealtimeServerEvent)
RATE = 24000


def received(conn: Any) -> dict[str, Any]:
    """The next server event as a dict, validated against the SDK's types."""
    event = json.loads(conn.recv_bytes())
    SERVER_EVENT.validate_python(event)
    return event


def until(conn: Any, kind: str) -> list[dict[str, Any]]:
    """Server events up to and including the first of type ``kind``."""
    events = []
    while True:
        events.append(received(conn))
        if events[-1]["type"] == kind:
            return events


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


def say(conn: Any, text: str) -> None:
    conn.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]})
    assert types([received(conn), received(conn)]) == ["conversation.item.added", "conversation.item.done"]


def tone(seconds: float, amplitude: int = 8000, freq: float = 220.0) -> bytes:
    samples = array.array("h", (int(amplitude * math.sin(2 * math.pi * freq * i / RATE)) for i in range(int(RATE * seconds))))
    return samples.tobytes()


def silence(seconds: float) -> bytes:
    return bytes(2 * int(RATE * seconds))


def append(conn: Any, pcm: bytes, chunk_ms: int = 100) -> None:
    size = 48 * chunk_ms
    for start in range(0, len(pcm), size):
        conn.input_audio_buffer.append(audio=base64.b64encode(pcm[start : start + size]).decode())


def text_session(conn: Any) -> None:
    assert received(conn)["type"] == "session.created"
    conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "instructions": "Answer briefly."})
    updated = received(conn)
    assert updated["type"] == "session.updated"
    assert updated["session"]["output_modalities"] == ["text"] and updated["session"]["instructions"] == "Answer briefly."


def test_text_session_streams_deltas_to_response_done(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        say(conn, "My name is Alice and I work as a pilot.")
        conn.response.create()
        events = until(conn, "response.done")
    kinds = types(events)
    assert kinds[:3] == ["response.created", "rate_limits.updated", "response.output_item.added"]
    assert kinds.index("response.content_part.added") < kinds.index("response.output_text.delta") < kinds.index("response.output_text.done")
    assert kinds[-3:] == ["response.output_item.done", "conversation.item.done", "response.done"]
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert text and text == next(e["text"] for e in events if e["type"] == "response.output_text.done")
    done = events[-1]["response"]
    assert done["status"] == "completed" and done["output"][0]["content"][0] == {"type": "output_text", "text": text}
    assert done["usage"]["output_tokens"] > 0 and done["usage"]["total_tokens"] == done["usage"]["input_tokens"] + done["usage"]["output_tokens"]
    limits = events[1]["rate_limits"]
    assert {limit["name"] for limit in limits} == {"requests", "tokens"}


def test_answers_are_deterministic_and_remember_the_conversation(live: Mock) -> None:
    def run() -> list[dict[str, Any]]:
        live.engine.reset()
        with live.client.realtime.connect(model="gpt-realtime") as conn:
            text_session(conn)
            say(conn, "My name is Alice.")
            say(conn, "What's my name?")
            conn.response.create()
            return until(conn, "response.done")

    first, second = run(), run()
    assert first == second
    assert "Alice" in first[-1]["response"]["output"][0]["content"][0]["text"]


async def test_async_text_session(live: Mock) -> None:
    async with live.async_client.realtime.connect(model="gpt-realtime") as conn:
        assert (await conn.recv()).type == "session.created"
        await conn.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        assert (await conn.recv()).type == "session.updated"
        await conn.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]})
        await conn.response.create()
        text = ""
        async for event in conn:
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.done":
                assert event.response.status == "completed"
                break
    assert text


def test_function_call_round_trip(live: Mock) -> None:
    weather = {"type": "function", "name": "get_weather", "description": "Get the current weather for a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "tools": [weather], "tool_choice": "auto"})
        assert received(conn)["session"]["tools"][0]["name"] == "get_weather"
        say(conn, "What's the weather in Paris?")
        conn.response.create()
        events = until(conn, "response.done")
        args_done = next(e for e in events if e["type"] == "response.function_call_arguments.done")
        deltas = "".join(e["delta"] for e in events if e["type"] == "response.function_call_arguments.delta")
        assert args_done["name"] == "get_weather" and deltas == args_done["arguments"]
        assert json.loads(args_done["arguments"])["city"] == "Paris"
        conn.conversation.item.create(item={"type": "function_call_output", "call_id": args_done["call_id"], "output": '{"temp_c": 21}'})
        until(conn, "conversation.item.done")
        conn.response.create()
        answer = until(conn, "response.done")[-1]["response"]
    assert answer["output"][0]["type"] == "message" and "temp_c" in answer["output"][0]["content"][0]["text"]


def test_server_vad_hears_a_tone_and_not_silence(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "audio": {"input": {
            "transcription": {"model": "gpt-4o-transcribe"},
            "turn_detection": {"type": "server_vad", "silence_duration_ms": 300, "prefix_padding_ms": 0, "create_response": True}}}})
        turn = received(conn)["session"]["audio"]["input"]["turn_detection"]
        assert turn["silence_duration_ms"] == 300 and turn["threshold"] == 0.5  # what it leaves out gets the defaults
        append(conn, silence(1.0))  # silence is not speech: nothing happens
        append(conn, tone(1.0))
        append(conn, silence(1.0))
        events = until(conn, "response.done")
        append(conn, tone(0.5))  # a second turn: offsets count all the session's audio
        second = until(conn, "input_audio_buffer.speech_started")[-1]
    assert second["audio_start_ms"] == 3000 and second["item_id"] != events[0]["item_id"]
    kinds = types(events)
    started = next(e for e in events if e["type"] == "input_audio_buffer.speech_started")
    stopped = next(e for e in events if e["type"] == "input_audio_buffer.speech_stopped")
    assert started["audio_start_ms"] == 1000 and 2000 <= stopped["audio_end_ms"] <= 2400
    committed = next(e for e in events if e["type"] == "input_audio_buffer.committed")
    assert started["item_id"] == stopped["item_id"] == committed["item_id"]
    assert kinds.count("input_audio_buffer.speech_started") == 1
    assert kinds.index("input_audio_buffer.committed") < kinds.index("conversation.item.input_audio_transcription.completed") < kinds.index("response.created")
    transcript = next(e for e in events if e["type"] == "conversation.item.input_audio_transcription.completed")["transcript"]
    assert transcript == "".join(e["delta"] for e in events if e["type"] == "conversation.item.input_audio_transcription.delta")


def test_silence_alone_never_starts_speech(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        append(conn, silence(2.0))
        conn.input_audio_buffer.clear()  # the next event proves nothing was sent for the silence
        assert received(conn)["type"] == "input_audio_buffer.cleared"


def _audio_reply(live: Mock, fmt: dict[str, Any]) -> tuple[bytes, str, list[dict[str, Any]]]:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "audio": {"output": {"format": fmt, "voice": "marin"}}})
        received(conn)
        say(conn, "Tell me a short story.")
        conn.response.create()
        events = until(conn, "response.done")
    sound = b"".join(base64.b64decode(e["delta"]) for e in events if e["type"] == "response.output_audio.delta")
    transcript = next(e["transcript"] for e in events if e["type"] == "response.output_audio_transcript.done")
    return sound, transcript, events


def test_audio_out_is_decodable_pcm16(live: Mock, tmp_path: Any) -> None:
    sound, transcript, events = _audio_reply(live, {"type": "audio/pcm", "rate": 24000})
    assert transcript == "".join(e["delta"] for e in events if e["type"] == "response.output_audio_transcript.delta")
    assert len(sound) > RATE and len(sound) % 2 == 0
    samples = array.array("h", sound)
    assert max(samples) > 1000  # speech, not silence
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE), out.writeframes(sound)
    path = tmp_path / "reply.wav"
    path.write_bytes(buffer.getvalue())
    if shutil.which("ffprobe"):
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,duration", "-of", "json", str(path)],
                               capture_output=True, text=True, check=True)
        stream = json.loads(probe.stdout)["streams"][0]
        assert stream["codec_name"] == "pcm_s16le" and stream["sample_rate"] == "24000"
        assert abs(float(stream["duration"]) - len(sound) / 2 / RATE) < 0.01
    done = events[-1]["response"]
    assert done["output"][0]["content"][0] == {"type": "output_audio", "transcript": transcript}
    assert done["usage"]["output_token_details"]["audio_tokens"] > 0


@pytest.mark.parametrize("kind,codec", [("audio/pcmu", "pcm_mulaw"), ("audio/pcma", "pcm_alaw")])
def test_audio_out_g711_is_decodable(live: Mock, tmp_path: Any, kind: str, codec: str) -> None:
    sound, _, _ = _audio_reply(live, {"type": kind})
    assert len(sound) > 8000  # 8 kHz, one byte a sample: more than a second of speech
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed")
    raw = tmp_path / "reply.g711"
    raw.write_bytes(sound)
    fmt = "mulaw" if kind == "audio/pcmu" else "alaw"
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-f", fmt, "-ar", "8000", "-ac", "1", "-i", str(raw), "-f", "s16le", "-"],
                             capture_output=True, check=True).stdout
    samples = array.array("h", decoded)
    assert len(samples) == len(sound) and max(samples) > 1000, codec


def test_response_cancel_mid_stream(live: Mock) -> None:
    # Latency simulation on: audio deltas are paced in real time (100 ms each), so the cancel lands mid-stream.
    with live.client.realtime.connect(model="gpt-realtime", extra_headers={"x-mockapi-latency": "overhead=0.001"}) as conn:
        received(conn)
        say(conn, "Tell me a long story about the sea.")
        conn.response.create()
        until(conn, "response.output_audio.delta")
        conn.response.cancel()
        events = until(conn, "response.done")
        done = events[-1]["response"]
        assert done["status"] == "cancelled" and done["status_details"]["reason"] == "client_cancelled"
        assert done["output"][0]["status"] == "incomplete"
        conn.response.cancel()  # nothing to cancel any more
        error = received(conn)
        assert error["type"] == "error" and error["error"]["code"] == "response_cancel_not_active"


def test_malformed_events_get_error_events_and_the_session_goes_on(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        conn.send_raw("{not json")
        assert received(conn)["error"]["code"] == "invalid_json"
        conn.send_raw(json.dumps({"type": "bogus.event", "event_id": "evt_client_1"}))
        error = received(conn)["error"]
        assert error["param"] == "type" and error["event_id"] == "evt_client_1" and "bogus.event" in error["message"]
        conn.input_audio_buffer.commit()
        assert received(conn)["error"]["code"] == "input_audio_buffer_commit_empty"
        say(conn, "Still there?")
        conn.response.create()
        assert until(conn, "response.done")[-1]["response"]["status"] == "completed"


def test_bad_key_is_rejected_with_an_error_event_then_closed(live: Mock) -> None:
    client = openai.OpenAI(api_key="not-a-real-key", base_url=live.base_url, max_retries=0)
    with client.realtime.connect(model="gpt-realtime") as conn:
        error = received(conn)
        assert error["type"] == "error" and error["error"]["code"] == "invalid_api_key"
        with pytest.raises(ConnectionClosed) as closed:
            conn.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    from mockapi.doors.realtime_journal import server_close

    entry = live.engine.traffic.journal.query(path="/v1/realtime")[0]  # type: ignore[attr-defined]
    assert server_close(entry) == {"code": 1008, "reason": "invalid_api_key"}


def test_unknown_model_is_rejected(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-nonexistent-realtime") as conn:
        error = received(conn)["error"]
        assert error["code"] == "model_not_found" and "gpt-nonexistent-realtime" in error["message"]
        with pytest.raises(ConnectionClosed):
            conn.recv()


def test_ephemeral_client_secret_opens_a_session_with_its_config(live: Mock) -> None:
    secret = live.client.realtime.client_secrets.create(session={"type": "realtime", "instructions": "You are a pirate."})
    assert secret.value.startswith("ek_")
    browser = openai.OpenAI(api_key=secret.value, base_url=live.base_url, max_retries=0)
    with browser.realtime.connect(model="gpt-realtime") as conn:
        created = received(conn)
    assert created["type"] == "session.created" and created["session"]["instructions"] == "You are a pirate."


def test_browser_subprotocol_key(live: Mock) -> None:
    url = live.base_url.replace("http://", "ws://") + "/realtime?model=gpt-realtime"
    with ws_connect(url, subprotocols=["realtime", f"openai-insecure-api-key.{API_KEY}"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "realtime"
        assert json.loads(ws.recv())["type"] == "session.created"


def test_queued_reply_and_out_of_band_response(live: Mock) -> None:
    live.engine.overrides.queue({"message": "(?i)weather"}, {"content": "Sunny all day."})
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        say(conn, "How is the weather?")
        conn.response.create(response={"conversation": "none", "output_modalities": ["text"], "metadata": {"topic": "weather"}})
        events = until(conn, "response.done")
    assert "conversation.item.added" not in types(events)
    done = events[-1]["response"]
    assert done["conversation_id"] is None and done["metadata"] == {"topic": "weather"}
    assert done["output"][0]["content"][0]["text"] == "Sunny all day."


def test_injected_error_event_fails_the_response_and_the_session_goes_on(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime", extra_headers={"x-mockapi-fault": "error after=3"}) as conn:
        text_session(conn)
        say(conn, "Hello")
        conn.response.create()
        events = until(conn, "response.done")
        assert "error" in types(events) and events[-1]["response"]["status"] == "failed"
        conn.response.create()
        assert until(conn, "response.done")[-1]["response"]["status"] == "completed"


def test_injected_drop_closes_the_connection(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime", extra_headers={"x-mockapi-fault": "cut after=2"}) as conn:
        text_session(conn)
        say(conn, "Hello")
        conn.response.create()
        with pytest.raises(ConnectionClosed) as closed:
            until(conn, "response.done")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
    from mockapi.doors.realtime_journal import server_close

    entry = live.engine.traffic.journal.query(path="/v1/realtime")[0]  # type: ignore[attr-defined]
    assert server_close(entry) == {"code": 1011, "reason": "connection dropped (injected fault)"}


def test_the_plugins_live_server_serves_realtime(mockapi_server: Any) -> None:
    # The SDK's WebSocket is opened by `websockets` itself, out of reach of the in-process transports:
    # the pytest plugin's `mockapi_server` fixture (a live server) is the way to test Realtime code.
    with mockapi_server.client.realtime.connect(model="gpt-realtime-mini") as conn:
        created = received(conn)
    assert created["session"]["model"] == "gpt-realtime-mini"


def test_speech_during_a_response_interrupts_it(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime", extra_headers={"x-mockapi-latency": "overhead=0.001"}) as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "audio": {"input": {"turn_detection": {
            "type": "server_vad", "silence_duration_ms": 200, "prefix_padding_ms": 0, "create_response": False}}}})
        received(conn)
        say(conn, "Tell me a long story about the mountains.")
        conn.response.create()
        until(conn, "response.output_audio.delta")
        append(conn, tone(0.3))  # the user talks over the answer (barge-in)
        until(conn, "input_audio_buffer.speech_started")
        events = until(conn, "response.done")
    done = events[-1]["response"]
    assert done["status"] == "cancelled" and done["status_details"]["reason"] == "turn_detected"


def test_the_journal_records_the_session_both_ways_with_the_key_redacted(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        say(conn, "Hello")
    entries = live.engine.traffic.journal.query(path="/v1/realtime")  # type: ignore[attr-defined]
    assert entries, "the session is in the journal"
    entry = entries[0]
    assert entry.status == 101
    assert API_KEY not in entry.request_headers["authorization"]
    assert entry.frames[0].startswith('< {"event_id"') and '"session.created"' in entry.frames[0]
    assert any(f.startswith("> ") and "session.update" in f for f in entry.frames)
    assert any(f.startswith("< ") and "conversation.item.done" in f for f in entry.frames)


def test_the_journal_shortens_audio_and_reads_back_as_events(live: Mock) -> None:
    from mockapi.doors.realtime_journal import session_events

    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "audio": {"input": {"turn_detection": None}}})
        received(conn)
        append(conn, tone(0.2))
        say(conn, "Tell me a short story.")
        conn.response.create()
        served = until(conn, "response.done")
    entry = live.engine.traffic.journal.query(path="/v1/realtime")[0]  # type: ignore[attr-defined]
    events = session_events(entry)
    assert [side for side, _ in events[:2]] == ["server", "client"] and events[0][1]["type"] == "session.created"
    appended = next(e for side, e in events if side == "client" and e["type"] == "input_audio_buffer.append")
    assert appended["audio"] == f"<{len(base64.b64encode(tone(0.1)))} base64 characters>"  # 100 ms chunks
    audio = [e for side, e in events if side == "server" and e["type"] == "response.output_audio.delta"]
    assert audio and all(e["delta"].endswith(" base64 characters>") for e in audio)
    transcript = [e["delta"] for side, e in events if e.get("type") == "response.output_audio_transcript.delta"]
    assert transcript == [e["delta"] for e in served if e["type"] == "response.output_audio_transcript.delta"]  # text kept whole


def test_vad_finds_the_words_of_a_wav_file_of_speech_then_silence(live: Mock) -> None:
    # The mock's own text-to-speech as the "speech": a burst per word (gaps of 60 ms, under the
    # 200 ms of silence VAD waits for), 150 ms of silence before the first word.
    from mockapi.api.audio import speech

    wav = live.client.audio.speech.create(model="gpt-4o-mini-tts", voice="alloy", input="hello world", response_format="wav").read()
    with wave.open(BytesIO(wav)) as source:
        assert (source.getframerate(), source.getsampwidth(), source.getnchannels()) == (RATE, 2, 1)
        pcm = source.readframes(source.getnframes())
    runs = speech.plan("hello world", 1.0, "alloy").runs
    first_word_ms = runs[0][1] * 1000 // RATE
    last_word_end_ms = sum(n for _, n in runs[:-2]) * 1000 // RATE  # before the last gap and the trailing silence
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "audio": {"input": {"turn_detection": {
            "type": "server_vad", "threshold": 0.5, "silence_duration_ms": 200, "prefix_padding_ms": 0, "create_response": False}}}})
        received(conn)
        append(conn, pcm + silence(1.0), chunk_ms=40)
        events = until(conn, "conversation.item.done")
    kinds = types(events)
    assert kinds.count("input_audio_buffer.speech_started") == 1 and kinds.count("input_audio_buffer.speech_stopped") == 1
    started = next(e for e in events if e["type"] == "input_audio_buffer.speech_started")["audio_start_ms"]
    stopped = next(e for e in events if e["type"] == "input_audio_buffer.speech_stopped")["audio_end_ms"]
    assert abs(started - first_word_ms) <= 20  # VAD frames are 20 ms
    assert abs(stopped - (last_word_end_ms + 200)) <= 40
    assert "response.created" not in kinds  # create_response off


def test_vad_on_g711_input(live: Mock) -> None:
    from mockapi.api.realtime import audio as codec

    loud = codec.encode(tone(0.5), {"type": "audio/pcmu"})
    quiet = codec.encode(silence(0.5), {"type": "audio/pcmu"})
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        received(conn)
        conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "audio": {"input": {
            "format": {"type": "audio/pcmu"},
            "turn_detection": {"type": "server_vad", "silence_duration_ms": 200, "prefix_padding_ms": 0, "create_response": False}}}})
        received(conn)
        for piece in (quiet, loud, quiet):
            conn.input_audio_buffer.append(audio=base64.b64encode(piece).decode())
        events = until(conn, "input_audio_buffer.speech_stopped")
    started = next(e for e in events if e["type"] == "input_audio_buffer.speech_started")
    assert started["audio_start_ms"] == 500 and events[-1]["audio_end_ms"] == 1200


def test_a_created_audio_item_counts_as_audio_input(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        conn.conversation.item.create(item={"type": "message", "role": "user",
                                            "content": [{"type": "input_audio", "audio": base64.b64encode(tone(2.0)).decode()}]})
        until(conn, "conversation.item.done")
        conn.response.create()
        done = until(conn, "response.done")[-1]["response"]
    assert done["status"] == "completed" and done["output"][0]["content"][0]["text"]
    assert done["usage"]["input_token_details"]["audio_tokens"] == 20  # 2 s of audio, 10 tokens a second


def test_a_bad_latency_header_is_an_error_event_not_a_crash(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime", extra_headers={"x-mockapi-latency": "warp=9"}) as conn:
        error = received(conn)["error"]
        assert error["param"] == "x-mockapi-latency"
        with pytest.raises(ConnectionClosed):
            conn.recv()


def test_the_journal_masks_a_browser_subprotocol_key(live: Mock) -> None:
    secret = live.client.realtime.client_secrets.create(session={"type": "realtime"}).value
    url = live.base_url.replace("http://", "ws://") + "/realtime?model=gpt-realtime"
    with ws_connect(url, subprotocols=["realtime", f"openai-insecure-api-key.{secret}"]) as ws:  # type: ignore[list-item]
        assert json.loads(ws.recv())["type"] == "session.created"
    entry = live.engine.traffic.journal.query(path="/v1/realtime")[0]  # type: ignore[attr-defined]
    assert secret not in json.dumps(entry.to_dict())


def test_a_transcription_session_transcribes_and_never_answers(live: Mock) -> None:
    secret = live.client.realtime.client_secrets.create(session={"type": "transcription", "audio": {"input": {
        "turn_detection": {"type": "server_vad", "silence_duration_ms": 200, "prefix_padding_ms": 0}}}}).value
    browser = openai.OpenAI(api_key=secret, base_url=live.base_url, max_retries=0)
    with browser.realtime.connect() as conn:
        created = received(conn)
        assert created["session"]["type"] == "transcription"
        append(conn, tone(0.6))
        append(conn, silence(0.6))
        events = until(conn, "conversation.item.input_audio_transcription.completed")
        assert "response.created" not in types(events)
        conn.response.create()
        assert received(conn)["type"] == "error"
    assert events[-1]["transcript"]


def test_max_output_tokens_cuts_the_answer_and_the_response_is_incomplete(live: Mock) -> None:
    with live.client.realtime.connect(model="gpt-realtime") as conn:
        text_session(conn)
        say(conn, "Tell me everything about the sea.")
        conn.response.create(response={"max_output_tokens": 5})
        events = until(conn, "response.done")
    done = events[-1]["response"]
    assert done["status"] == "incomplete" and done["status_details"] == {"type": "incomplete", "reason": "max_output_tokens"}
    assert len([e for e in events if e["type"] == "response.output_text.delta"]) == 5
    assert done["output"][0]["status"] == "incomplete" and done["usage"]["output_tokens"] == 5


def test_a_fault_rule_for_the_realtime_path_applies_once(live: Mock) -> None:
    live.engine.traffic.faults.add_rule("error after=2", path="/v1/realtime", times=1)  # type: ignore[attr-defined]
    try:
        with live.client.realtime.connect(model="gpt-realtime") as conn:
            text_session(conn)
            say(conn, "Hello")
            conn.response.create()
            assert until(conn, "response.done")[-1]["response"]["status"] == "failed"
        with live.client.realtime.connect(model="gpt-realtime") as conn:
            text_session(conn)
            say(conn, "Hello")
            conn.response.create()
            assert until(conn, "response.done")[-1]["response"]["status"] == "completed"
    finally:
        live.engine.traffic.faults.clear_rules()  # type: ignore[attr-defined]


def test_a_stall_fault_upgrades_then_says_nothing(live: Mock) -> None:
    url = live.base_url.replace("http://", "ws://") + "/realtime?model=gpt-realtime"
    headers = {"Authorization": f"Bearer {API_KEY}", "x-mockapi-fault": "stall"}
    with ws_connect(url, additional_headers=headers) as ws, pytest.raises(TimeoutError):
        ws.recv(timeout=0.3)  # no session.created: the client's own timeout is what ends it
