"""Realtime REST: ephemeral client secrets (stored per tenant, found by value), beta sessions, calls."""

from __future__ import annotations

import re

import openai
import pytest

from mockapi.api.realtime.secrets import find_client_secret

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n"


def test_client_secret_echoes_the_session_with_defaults(mock):
    secret = mock.client.realtime.client_secrets.create(session={"type": "realtime", "instructions": "Be brief."})
    assert re.fullmatch(r"ek_[0-9a-f]{32}", secret.value)
    assert secret.expires_at == int(mock.engine.clock.now()) + 600  # the documented default TTL
    session = secret.session
    assert (session.type, session.object, session.model, session.instructions) == (
        "realtime", "realtime.session", "gpt-realtime", "Be brief.")
    assert session.id.startswith("sess_") and session.output_modalities == ["audio"]
    assert session.audio.output.voice == "alloy" and session.audio.input.turn_detection.type == "server_vad"
    mock.validate("createRealtimeClientSecret", secret)


def test_client_secret_is_found_by_value_until_it_expires(mock):
    secret = mock.client.realtime.client_secrets.create(expires_after={"anchor": "created_at", "seconds": 60})
    found = find_client_secret(mock.engine.store, secret.value, mock.engine.clock.now())
    assert found is not None and found["session"]["id"] == secret.session.id and found["tenant"]
    assert find_client_secret(mock.engine.store, "ek_unknown") is None
    mock.engine.clock.advance(60)
    assert find_client_secret(mock.engine.store, secret.value, mock.engine.clock.now()) is None
    assert find_client_secret(mock.engine.store, secret.value) is not None  # expiry is the caller's clock


def test_transcription_session_secret(mock):
    secret = mock.client.realtime.client_secrets.create(
        session={"type": "transcription", "audio": {"input": {"transcription": {"model": "gpt-4o-mini-transcribe"}}}})
    assert (secret.session.type, secret.session.object) == ("transcription", "realtime.transcription_session")
    assert secret.session.audio.input.transcription.model == "gpt-4o-mini-transcribe"
    mock.validate("createRealtimeClientSecret", secret)


def test_ttl_range_is_checked(mock):
    # source: the SDK's ExpiresAfter.seconds docstring: "Select a value between 10 and 7200"
    for seconds, code in ((5, "integer_below_min_value"), (7201, "integer_above_max_value")):
        with pytest.raises(openai.BadRequestError) as info:
            mock.client.realtime.client_secrets.create(expires_after={"anchor": "created_at", "seconds": seconds})
        assert (info.value.body["param"], info.value.body["code"]) == ("expires_after.seconds", code)


def test_translation_secret(mock):
    secret = mock.client.realtime.translations.client_secrets.create(
        session={"model": "gpt-realtime-translate", "audio": {"output": {"language": "fr"}}})
    assert secret.value.startswith("ek_") and secret.session.type == "translation"
    assert (secret.session.model, secret.session.audio.output.language) == ("gpt-realtime-translate", "fr")


def test_beta_sessions_carry_a_client_secret(mock):
    session = mock.client.beta.realtime.sessions.create(model="gpt-4o-realtime-preview", voice="verse")
    assert session.client_secret.value.startswith("ek_") and session.voice == "verse"
    mock.validate("createRealtimeSession", session)
    assert find_client_secret(mock.engine.store, session.client_secret.value) is not None
    transcription = mock.client.beta.realtime.transcription_sessions.create()
    assert transcription.client_secret.value.startswith("ek_")
    assert transcription.input_audio_transcription.model == "gpt-4o-transcribe"


def test_webrtc_call_answers_the_offer(mock):
    response = mock.client.realtime.calls.with_raw_response.create(sdp=OFFER, session={"type": "realtime"})
    answer = response.content.decode()
    assert response.headers["content-type"] == "application/sdp"
    assert answer.startswith("v=0") and "m=audio 9 UDP/TLS/RTP/SAVPF 111" in answer
    call_id = response.headers["location"].rsplit("/", 1)[1]
    assert call_id.startswith("rtc_")
    assert mock.client.realtime.calls.hangup(call_id) is None
    with pytest.raises(openai.BadRequestError):
        mock.client.realtime.calls.create(sdp="not sdp")


def test_sip_call_controls(mock):
    incoming = "rtc_" + "a" * 32  # announced by a realtime.call.incoming webhook in real life
    assert mock.client.realtime.calls.accept(incoming, type="realtime", instructions="Hi") is None
    assert mock.client.realtime.calls.refer(incoming, target_uri="tel:+14155550123") is None
    assert mock.client.realtime.calls.reject("rtc_" + "b" * 32) is None
    with pytest.raises(openai.NotFoundError):
        mock.client.realtime.calls.hangup("call_not_an_rtc_id")
