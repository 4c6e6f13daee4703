"""Modes (record-on-miss forwards only misses), validation before forwarding, bytes and boundaries, timing, binary."""

from __future__ import annotations

import json
from pathlib import Path

import openai
import pytest
from recording_helpers import (
    API_KEY,
    client_of,
    recording_engine,
    start_upstream,
    upstream_requests,
)

from mockapi.core.engine import Request
from mockapi.core.results import Pause

HI = [{"role": "user", "content": "Say hi"}]


@pytest.fixture
def upstream():
    server = start_upstream()
    yield server
    server.stop()


def chat_request(content: str, *, stream: bool = False) -> Request:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], "stream": stream}
    return Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}", "content-type": "application/json"},
                   json.dumps(body).encode())


def chunks_of(reply) -> list:
    return list(reply.stream) if reply.stream is not None else [reply.body]


def test_record_on_miss_forwards_only_the_misses(tmp_path: Path, upstream) -> None:
    client_of(recording_engine(tmp_path, "record", upstream.base_url)).chat.completions.create(model="gpt-4o-mini", messages=HI)
    before = upstream_requests(upstream)
    client = client_of(recording_engine(tmp_path, "record-on-miss", upstream.base_url))
    client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    assert upstream_requests(upstream) == before  # a hit: served from the cassette
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Something else"}])
    assert upstream_requests(upstream) == before + 1
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["0001-createChatCompletion.json", "0002-createChatCompletion.json"]


def test_record_mode_always_forwards(tmp_path: Path, upstream) -> None:
    client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
    client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    assert upstream_requests(upstream) == 2 and len(list(tmp_path.glob("*.json"))) == 2


def test_an_invalid_request_is_refused_and_not_forwarded(tmp_path: Path, upstream) -> None:
    client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=HI, temperature=5)
    assert caught.value.body["param"] == "temperature"
    # Also when the caller asks for level schema: recording validates as at faithful.
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="gpt-4o-mini", messages=HI, temperature=5,
                                       extra_headers={"x-mockapi-validation": "schema"})
    assert upstream_requests(upstream) == 0 and not list(tmp_path.glob("*.json"))


def test_replayed_bytes_and_stream_boundaries_are_the_recorded_ones(tmp_path: Path, upstream) -> None:
    recorder = recording_engine(tmp_path, "record", upstream.base_url)
    plain = b"".join(chunks_of(recorder.handle(chat_request("Say hi"))))
    streamed = chunks_of(recorder.handle(chat_request("Count to three", stream=True)))
    upstream.stop()
    replayer = recording_engine(tmp_path, "replay", strict=True)
    assert b"".join(chunks_of(replayer.handle(chat_request("Say hi")))) == plain
    events = chunks_of(replayer.handle(chat_request("Count to three", stream=True)))
    assert b"".join(events) == b"".join(streamed)
    assert all(e.endswith(b"\n\n") and e.count(b"\n\n") == 1 for e in events)  # one recorded event per chunk
    assert events[-1] == b"data: [DONE]\n\n"


def test_replay_speed_paces_the_events_as_recorded(tmp_path: Path, upstream) -> None:
    assert chunks_of(recording_engine(tmp_path, "record", upstream.base_url).handle(chat_request("Count", stream=True)))
    fixture = json.loads((tmp_path / "0001-createChatCompletion.json").read_text())
    offsets = [e["offset"] for e in fixture["response"]["stream"]]
    items = list(recording_engine(tmp_path, "replay", replay_speed=2.0).handle(chat_request("Count", stream=True)).stream)
    pauses = [i.seconds for i in items if isinstance(i, Pause)]
    assert sum(pauses) == pytest.approx(offsets[-1] / 2, abs=1e-6)
    assert not any(isinstance(i, Pause) for i in recording_engine(tmp_path, "replay").handle(chat_request("Count", stream=True)).stream)


def test_a_binary_answer_is_a_file_beside_its_fixture(tmp_path: Path, upstream) -> None:
    client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
    audio = client.audio.speech.create(model="tts-1", voice="alloy", input="Hello there").content
    upstream.stop()
    fixture = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert (tmp_path / fixture["response"]["body_file"]).read_bytes() == audio
    replayed = client_of(recording_engine(tmp_path, "replay", strict=True)).audio.speech.create(
        model="tts-1", voice="alloy", input="Hello there").content
    assert replayed == audio


def test_identical_requests_replay_in_recorded_order(tmp_path: Path, upstream) -> None:
    client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
    created = client.files.create(file=("a.txt", b"alpha", "text/plain"), purpose="assistants")
    first = client.files.list().data
    client.files.delete(created.id)
    second = client.files.list().data
    upstream.stop()
    offline = client_of(recording_engine(tmp_path, "replay"))
    offline.files.create(file=("a.txt", b"alpha", "text/plain"), purpose="assistants")
    assert [f.id for f in offline.files.list().data] == [f.id for f in first] == [created.id]
    assert offline.files.retrieve(created.id).filename == "a.txt"  # never recorded: the mock's store has it
    offline.files.delete(created.id)
    assert offline.files.list().data == second == []
    with pytest.raises(openai.NotFoundError, match="No file found"):  # the replayed delete dropped it from the store
        offline.files.retrieve(created.id)


class IndentedJSON:
    """An upstream that lays its JSON out as api.openai.com does: indented by two spaces."""

    def before(self, call):
        return None

    def after(self, call, reply):
        if reply.stream is None and reply.header("content-type") == "application/json":
            reply.body = json.dumps(json.loads(reply.body), indent=2).encode() + b"\n"
        return reply


def test_an_indented_json_answer_replays_byte_for_byte(tmp_path: Path) -> None:
    from conftest import make_engine

    from mockapi.doors.live import LiveServer

    engine = make_engine(seed=7)
    engine.hooks.append(IndentedJSON())
    upstream = LiveServer(engine).start()
    try:
        recorded = b"".join(chunks_of(recording_engine(tmp_path, "record", upstream.base_url).handle(chat_request("Say hi"))))
    finally:
        upstream.stop()
    assert recorded.startswith(b'{\n  "id"') and recorded.endswith(b"}\n")
    assert json.loads(next(tmp_path.glob("*.json")).read_text())["response"]["json_format"] == "indent2+nl"
    assert b"".join(chunks_of(recording_engine(tmp_path, "replay", strict=True).handle(chat_request("Say hi")))) == recorded
