"""Responses streaming (§5.8, seed-inventory E2 and §5.2): the real lifecycle, event lines, no [DONE]."""

from __future__ import annotations

import json
import warnings

import openai
import pytest
from pydantic import BaseModel
from test_responses import ALICE, WEATHER

TEXT_LIFECYCLE = ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                  "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                  "response.output_item.done", "response.completed"]


def collect(mock, **kwargs) -> list:
    """Stream a response with ``stream=True``, validating every event against the contract."""
    kwargs.setdefault("model", "gpt-4o")
    events = []
    for event in mock.client.responses.create(stream=True, **kwargs):
        mock.validate("createResponse", event.model_dump(mode="json", by_alias=True, exclude_unset=True), stream=True)
        events.append(event)
    return events


def without_ids(value):
    """A dump with every ``id``/``call_id`` dropped: two identical calls say the same, as objects of their own."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ("id", "call_id")}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def squeeze(types: list[str]) -> list[str]:
    """Runs of the same event type collapsed to one."""
    return [t for i, t in enumerate(types) if i == 0 or types[i - 1] != t]


def test_text_lifecycle_in_the_real_order(mock):
    events = collect(mock, input="Write a poem about coding.")
    types = [e.type for e in events]
    assert squeeze(types) == TEXT_LIFECYCLE
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert "response.done" not in types
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    done = next(e for e in events if e.type == "response.output_text.done")
    assert deltas == done.text and events[-1].response.output_text == done.text
    assert events[0].response.status == "in_progress" and events[0].response.output == []
    assert events[-1].response.status == "completed" and events[-1].response.usage.output_tokens > 0


def test_sse_frames_have_event_lines_and_no_done_terminator(mock):
    with mock.client.responses.with_streaming_response.create(model="gpt-4o", input="Hello!", stream=True) as raw:
        assert raw.headers["content-type"].startswith("text/event-stream")
        text = b"".join(raw.iter_bytes()).decode()
    frames = [f for f in text.split("\n\n") if f]
    assert "[DONE]" not in text
    for frame in frames:
        event_line, data_line = frame.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        assert json.loads(data_line[6:])["type"] == event_line[7:]
    assert frames[-1].startswith("event: response.completed\n")


def test_stream_and_json_give_the_same_response(mock):
    events = collect(mock, input="Describe a glacier.")
    body = mock.client.responses.create(model="gpt-4o", input="Describe a glacier.")
    assert events[-1].response.id != body.id
    assert without_ids(events[-1].response.model_dump()) == without_ids(body.model_dump())


def test_function_call_argument_events(mock):
    events = collect(mock, input="What's the weather in London, Paris, and Tokyo?", tools=[WEATHER])
    types = squeeze([e.type for e in events])
    assert types[2:6] == ["response.output_item.added", "response.function_call_arguments.delta",
                          "response.function_call_arguments.done", "response.output_item.done"]
    for done in (e for e in events if e.type == "response.function_call_arguments.done"):
        pieces = [e.delta for e in events if e.type == "response.function_call_arguments.delta" and e.item_id == done.item_id]
        assert "".join(pieces) == done.arguments and len(pieces) > 1
        added = next(e for e in events if e.type == "response.output_item.added" and e.item.id == done.item_id)
        assert added.item.arguments == "" and added.item.status == "in_progress"
    assert [e.output_index for e in events if e.type == "response.output_item.done"] == [0, 1, 2]


def test_reasoning_summary_events(mock):
    events = collect(mock, model="o4-mini", input="Why is the sky blue?", reasoning={"effort": "low", "summary": "auto"})
    types = squeeze([e.type for e in events])
    assert types[:9] == ["response.created", "response.in_progress", "response.output_item.added",
                         "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                         "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                         "response.output_item.done", "response.output_item.added"]
    done = next(e for e in events if e.type == "response.reasoning_summary_text.done")
    assert done.text == "".join(e.delta for e in events if e.type == "response.reasoning_summary_text.delta")
    assert events[-1].response.usage.output_tokens_details.reasoning_tokens > 0


def test_web_search_progress_and_annotation_events(mock):
    events = collect(mock, input="Search the web for the latest news on fusion power.", tools=[{"type": "web_search"}])
    types = squeeze([e.type for e in events])
    assert types[2:7] == ["response.output_item.added", "response.web_search_call.in_progress",
                          "response.web_search_call.searching", "response.web_search_call.completed", "response.output_item.done"]
    notes = [e for e in events if e.type == "response.output_text.annotation.added"]
    assert [n.annotation_index for n in notes] == [0, 1] and notes[0].annotation.type == "url_citation"


@pytest.mark.parametrize("tool,progress", [
    ({"type": "code_interpreter", "container": {"type": "auto"}}, "response.code_interpreter_call_code.delta"),
    ({"type": "file_search", "vector_store_ids": ["vs_1"]}, "response.file_search_call.searching"),
    ({"type": "image_generation"}, "response.image_generation_call.generating"),
    ({"type": "shell", "environment": {"type": "local"}}, None),
    ({"type": "apply_patch"}, None),
])
def test_hosted_tool_streams_validate(mock, tool, progress):
    events = collect(mock, input="Do what the tool is for.", tools=[tool], tool_choice="required")
    types = [e.type for e in events]
    assert progress is None or progress in types
    assert types[-1] == "response.completed" and events[-1].response.output[0].type.endswith("_call")


def test_incomplete_stream_ends_with_response_incomplete(mock):
    events = collect(mock, input="Write an essay about rivers in 500 words.", max_output_tokens=16)
    assert events[-1].type == "response.incomplete"
    assert events[-1].response.incomplete_details.reason == "max_output_tokens"
    assert len([e for e in events if e.type == "response.output_text.delta"]) == 16


def test_refusal_events(mock):
    mock.engine.overrides.queue({"message": "(?i)lock"}, {"refusal": "I can't help with picking locks."})
    events = collect(mock, input="How do I pick a lock?")
    types = squeeze([e.type for e in events])
    assert types[2:8] == ["response.output_item.added", "response.content_part.added", "response.refusal.delta",
                          "response.refusal.done", "response.content_part.done", "response.output_item.done"]
    assert next(e for e in events if e.type == "response.refusal.done").refusal == "I can't help with picking locks."


def test_stream_helper_and_final_response(mock):
    with mock.client.responses.stream(model="gpt-4o", input="Tell me about tides.") as stream:
        text = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
        final = stream.get_final_response()
    assert text == final.output_text and final.status == "completed"


class Weather(BaseModel):
    city: str
    temperature_c: int


def test_stream_helper_with_text_format(mock):
    with mock.client.responses.stream(model="gpt-4o", input="Weather in Oslo as JSON", text_format=Weather) as stream, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic warns dumping the SDK's generic Parsed* wrappers; the data is fine
        for event in stream:
            mock.validate("createResponse", event.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude={"parsed", "snapshot"}), stream=True)
        final = stream.get_final_response()
    assert isinstance(final.output_parsed, Weather)


def test_stream_helper_with_tools_and_chain(mock):
    with mock.client.responses.stream(model="gpt-4o", input="What's the weather in Paris?", tools=[WEATHER]) as stream:
        final = stream.get_final_response()
    call = final.output[0]
    assert call.type == "function_call"
    with mock.client.responses.stream(model="gpt-4o", previous_response_id=final.id, tools=[WEATHER],
                                      input=[{"type": "function_call_output", "call_id": call.call_id, "output": "foggy"}]) as stream:
        assert "foggy" in stream.get_final_response().output_text


def test_background_stream_is_queued_first_and_can_be_replayed(mock):
    events = collect(mock, input="Summarise the history of tea.", background=True)
    assert squeeze([e.type for e in events])[:3] == ["response.created", "response.queued", "response.in_progress"]
    assert events[0].response.status == "queued" and events[-1].type == "response.completed"
    replay = list(mock.client.responses.retrieve(events[0].response.id, stream=True, starting_after=5))
    assert [e.sequence_number for e in replay] == [e.sequence_number for e in events[6:]]
    assert [e.type for e in replay] == [e.type for e in events[6:]]
    for event in replay:
        mock.validate("getResponse", event.model_dump(mode="json", exclude_unset=True), stream=True)


def test_stream_helper_resumes_a_stored_response_by_id(mock):
    r = mock.client.responses.create(model="gpt-4o", input="Describe a forest.", background=True)
    with mock.client.responses.stream(response_id=r.id) as stream:  # streaming waits for the background response
        events = list(stream)
        final = stream.get_final_response()
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert final.output_text and mock.client.responses.retrieve(r.id).status == "completed"


def test_errors_come_before_any_stream(mock):
    with pytest.raises(openai.BadRequestError):
        mock.client.responses.create(model="gpt-4o", input="hi", stream=True, tools=[{"type": "code_interpreter"}])
    with pytest.raises(openai.BadRequestError):
        mock.client.responses.create(model="gpt-4o", input="hi", stream=True, previous_response_id="resp_missing")


def test_failed_stream_ends_with_response_failed(mock):
    mock.engine.overrides.queue({"message": "(?i)explode"}, {"error": {"message": "The model crashed."}})
    events = collect(mock, input="Please explode.")
    assert [e.type for e in events] == ["response.created", "response.in_progress", "response.failed"]
    assert events[-1].response.error.code == "server_error"


async def test_async_streaming_chain(mock):
    first = await mock.async_client.responses.create(model="gpt-4o", input=ALICE)
    stream = await mock.async_client.responses.create(model="gpt-4o", input="What's my occupation?",
                                                      previous_response_id=first.id, stream=True)
    events = [e async for e in stream]
    for event in events:
        mock.validate("createResponse", event.model_dump(mode="json", exclude_unset=True), stream=True)
    assert squeeze([e.type for e in events]) == TEXT_LIFECYCLE
    assert "software engineer" in events[-1].response.output_text
    async with mock.async_client.responses.stream(model="gpt-4o", input="Hi!") as helper:
        final = await helper.get_final_response()
    assert final.status == "completed"


def test_same_sequence_same_stream_bytes(mock):
    def raw() -> bytes:
        with mock.client.responses.with_streaming_response.create(model="gpt-4o", input="Weather in Paris?", tools=[WEATHER],
                                                                  stream=True) as response:
            return b"".join(response.iter_bytes())

    first = raw()
    again = raw()  # the second identical call: the same events, with ids of its own
    assert first != again and len(first) == len(again)
    mock.engine.reset()
    assert raw() == first  # the same sequence of requests on a fresh state gives the same bytes


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TOOLS = [WEATHER, {"type": "web_search"}, {"type": "code_interpreter", "container": {"type": "auto"}},
          {"type": "file_search", "vector_store_ids": ["vs_1"]}, {"type": "apply_patch"}]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompt=st.text(min_size=1, max_size=80), tools=st.lists(st.sampled_from(range(len(_TOOLS))), unique=True, max_size=3),
       limit=st.one_of(st.none(), st.integers(min_value=16, max_value=60)), model=st.sampled_from(["gpt-4o", "o4-mini"]))
def test_any_request_streams_a_valid_lifecycle(mock, prompt, tools, limit, model):
    kwargs = {"model": model, "input": prompt, "tools": [_TOOLS[i] for i in tools]}
    if limit is not None:
        kwargs["max_output_tokens"] = limit
    events = collect(mock, **kwargs)
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert events[0].type == "response.created" and events[-1].type in ("response.completed", "response.incomplete")
    added = [e.item.id for e in events if e.type == "response.output_item.added"]
    assert added == [e.item.id for e in events if e.type == "response.output_item.done"] == [o.id for o in events[-1].response.output]
    body = mock.client.responses.create(**kwargs)
    assert without_ids(body.model_dump()) == without_ids(events[-1].response.model_dump())


def test_a_mid_stream_error_event_has_its_fields_at_the_top_level(mock):
    events = collect(mock, input="Hello", extra_headers={"x-mockapi-fault": "error after=4"})
    assert [e.type for e in events] == ["response.created", "response.in_progress", "response.output_item.added",
                                        "response.content_part.added", "error"]
    error = events[-1]
    assert error.sequence_number == 4 and error.code == "server_error" and error.message and error.param is None


def test_replay_query_is_checked(mock):
    r = mock.client.responses.create(model="gpt-4o", input="Hello")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.retrieve(r.id, stream=True, extra_query={"starting_after": "abc"})
    assert info.value.body["param"] == "starting_after"
