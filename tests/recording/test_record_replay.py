"""Record a session against an upstream mock, stop the upstream, replay it offline through the real SDK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openai
import pytest
from recording_helpers import (
    API_KEY,
    client_of,
    dump,
    files_text,
    recording_engine,
    start_upstream,
    upstream_requests,
)

from mockapi.doors.live import LiveServer

TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                          "required": ["city"]}}}]


def session(client: openai.OpenAI) -> dict[str, Any]:
    """Chat, streamed chat, a tool round, embeddings, a Responses chain and a file upload."""
    out: dict[str, Any] = {}
    out["chat"] = dump(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hi"}]))
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Count to five"}],
                                            stream=True, stream_options={"include_usage": True})
    out["stream"] = [dump(chunk) for chunk in stream]
    messages: list[Any] = [{"role": "user", "content": "Weather in Paris?"}]
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=TOOLS, tool_choice="required")
    call = first.choices[0].message.tool_calls[0]
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": '{"temp_c": 21}'}]
    second = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=TOOLS)
    out["tool_round"] = [dump(first), dump(second)]
    out["embedding"] = dump(client.embeddings.create(model="text-embedding-3-small", input="hello"))
    r1 = client.responses.create(model="gpt-4o-mini", input="Name a colour")
    r2 = client.responses.create(model="gpt-4o-mini", input="And another", previous_response_id=r1.id)
    out["responses"] = [dump(r1), dump(r2)]
    out["file"] = dump(client.files.create(file=("notes.txt", b"some notes", "text/plain"), purpose="assistants"))
    return out


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, dict[str, Any], int]:
    """A cassette recorded from an upstream that is stopped afterwards; what the caller saw; upstream request count."""
    upstream = start_upstream()
    try:
        engine = recording_engine(tmp_path / "cassette", "record", upstream.base_url)
        seen = session(client_of(engine))
        count = upstream_requests(upstream)
    finally:
        upstream.stop()
    return tmp_path / "cassette", seen, count


@pytest.mark.parametrize("door", ["inprocess", "live"])
def test_a_replayed_session_gives_what_the_upstream_said_with_the_upstream_gone(recorded: Any, door: str) -> None:
    cassette, seen, count = recorded
    assert count == 8 and len(list(cassette.glob("*.json"))) == 8
    engine = recording_engine(cassette, "replay", strict=True)
    if door == "inprocess":
        replayed = session(client_of(engine))
    else:
        with LiveServer(engine) as server:
            replayed = session(openai.OpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0))
    assert replayed == seen
    # It is the upstream's answer (seed 7), not what this mock (seed 0) would have generated.
    generated = client_of(recording_engine(cassette / "empty", "replay")).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hi"}])
    assert generated.choices[0].message.content != seen["chat"]["choices"][0]["message"]["content"]


def test_a_replayed_stream_keeps_the_recorded_events_and_usage(recorded: Any) -> None:
    cassette, seen, _ = recorded
    fixture = json.loads(next(cassette.glob("0002-createChatCompletion.json")).read_text())
    events = fixture["response"]["stream"]
    assert events[-1]["raw"] == "data: [DONE]" and len(events) == len(seen["stream"]) + 1
    assert [e["offset"] for e in events] == sorted(e["offset"] for e in events)
    assert seen["stream"][-1]["usage"]["total_tokens"] > 0


def test_the_key_never_reaches_disk(recorded: Any) -> None:
    cassette, _, _ = recorded
    text = files_text(cassette)
    assert API_KEY not in text and "0123456789" not in text
    headers = json.loads(next(cassette.glob("0001-*.json")).read_text())["request"]["headers"]
    assert headers["authorization"].startswith("Bearer <scrubbed-key-")


def test_the_same_secret_gets_the_same_placeholder(recorded: Any) -> None:
    cassette, _, _ = recorded
    placeholders = {json.loads(p.read_text())["request"]["headers"]["authorization"] for p in cassette.glob("*.json")}
    assert len(placeholders) == 1


def test_a_stateful_follow_up_works_offline(recorded: Any) -> None:
    cassette, seen, _ = recorded
    client = client_of(recording_engine(cassette, "replay"))
    session(client)  # replays the creations, which registers their objects in the mock's store
    assert dump(client.files.retrieve(seen["file"]["id"])) == seen["file"]
    first = seen["responses"][0]
    assert dump(client.responses.retrieve(first["id"])) == first
    # A turn the recording never saw continues the recorded chain (generated by the mock, offline).
    more = client.responses.create(model="gpt-4o-mini", input="One more", previous_response_id=seen["responses"][1]["id"])
    assert more.previous_response_id == seen["responses"][1]["id"] and more.output_text


def test_a_strict_miss_is_a_404_naming_the_closest_fixture(recorded: Any) -> None:
    cassette, _, _ = recorded
    client = client_of(recording_engine(cassette, "replay", strict=True))
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hello"}])
    message = caught.value.body["message"]
    assert "0001-createChatCompletion.json" in message and "body.messages" in message
    assert caught.value.body["code"] == "fixture_not_found"


def test_a_lenient_miss_falls_through_to_the_generated_answer(recorded: Any) -> None:
    cassette, _, _ = recorded
    client = client_of(recording_engine(cassette, "replay"))
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Something new"}])
    assert reply.choices[0].message.content


def test_a_fault_still_applies_on_top_of_a_replay(recorded: Any) -> None:
    cassette, seen, _ = recorded
    engine = recording_engine(cassette, "replay", strict=True)
    engine.traffic.faults.add_rule("503", path="/v1/chat/completions", times=1)
    client = client_of(engine)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hi"}])
    again = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hi"}])
    assert dump(again) == seen["chat"]


def test_a_fault_cuts_a_replayed_stream(recorded: Any) -> None:
    cassette, _, _ = recorded
    engine = recording_engine(cassette, "replay", strict=True)
    engine.traffic.faults.add_rule("error after=2", path="/v1/chat/completions", times=1)
    client = client_of(engine)
    with pytest.raises(openai.APIError):
        list(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Count to five"}],
                                            stream=True, stream_options={"include_usage": True}))


def test_rate_limit_headers_are_the_mocks_own_on_replay(recorded: Any) -> None:
    cassette, _, _ = recorded
    client = client_of(recording_engine(cassette, "replay", strict=True))
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hi"}])
    total = raw.parse().usage.total_tokens
    limit = int(raw.headers["x-ratelimit-limit-tokens"])
    assert int(raw.headers["x-ratelimit-remaining-tokens"]) == limit - total
