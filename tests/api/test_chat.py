"""Chat Completions (§3, §5, §6, §7, §9): the SDK's view, in-process and live."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import List, Literal, Optional

import openai
import pytest
from pydantic import BaseModel, Field

USER = [{"role": "user", "content": "Explain retries with exponential backoff."}]

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a location",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["location", "unit"],
            "additionalProperties": False,
        },
        "strict": True,
    },
}


def test_basic_completion_shape_and_usage(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER)
    mock.validate("createChatCompletion", r)
    assert r.id.startswith("chatcmpl-") and r.object == "chat.completion"
    assert r.created == 1_750_000_000  # the frozen clock
    assert r.system_fingerprint.startswith("fp_")
    choice = r.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert len(choice.message.content.split()) > 5
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens


def test_same_request_same_answer_own_id_different_seed_different_content(mock):
    raw1 = mock.client.chat.completions.with_raw_response.create(model="gpt-4o", messages=USER)
    raw2 = mock.client.chat.completions.with_raw_response.create(model="gpt-4o", messages=USER, extra_headers={"x-stainless-foo": "1"})
    first, second = json.loads(raw1.http_response.content), json.loads(raw2.http_response.content)
    assert first.pop("id") != second.pop("id")  # every call is its own object…
    assert first == second  # …saying the same thing
    other = mock.client.chat.completions.create(model="gpt-4o", messages=USER, seed=7)
    assert other.choices[0].message.content != raw1.parse().choices[0].message.content
    assert other.id != raw1.parse().id


def test_n_choices_sum_completion_tokens(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, n=3)
    assert [c.index for c in r.choices] == [0, 1, 2]
    assert len({c.message.content for c in r.choices}) == 3
    from mockapi.core.tokenizer import count_tokens

    assert r.usage.completion_tokens == sum(count_tokens(c.message.content) for c in r.choices)


def test_stop_sequence_cuts_before_it(mock):
    full = mock.client.chat.completions.create(model="gpt-4o", messages=USER).choices[0].message.content
    word = full.split()[3]
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, stop=[word])
    assert word not in r.choices[0].message.content
    assert full.startswith(r.choices[0].message.content)
    assert r.choices[0].finish_reason == "stop"


@pytest.mark.parametrize("param", ["max_tokens", "max_completion_tokens"])
def test_token_limit_gives_length(mock, param):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, **{param: 5})
    assert r.choices[0].finish_reason == "length"
    assert r.usage.completion_tokens == 5


def test_length_request_in_prompt_is_honoured(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Write 300 tokens about bridges."}])
    assert 290 <= r.usage.completion_tokens <= 310


def test_logprobs_top_k(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, logprobs=True, top_logprobs=3, max_tokens=10)
    entries = r.choices[0].logprobs.content
    assert len(entries) == r.usage.completion_tokens
    for e in entries:
        assert e.logprob <= 0 and len(e.top_logprobs) == 3
        assert e.top_logprobs[0].token == e.token
        assert [t.logprob for t in e.top_logprobs] == sorted((t.logprob for t in e.top_logprobs), reverse=True)
        assert bytes(e.bytes).decode() == e.token
    assert "".join(e.token for e in entries) == r.choices[0].message.content


def test_json_object_mode_returns_an_object(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", response_format={"type": "json_object"},
                                            messages=[{"role": "user", "content": "Reply in JSON please."}])
    assert isinstance(json.loads(r.choices[0].message.content), dict)


def test_json_object_mode_needs_the_word_json(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", response_format={"type": "json_object"}, messages=USER)
    error = info.value.body
    assert error["message"] == "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."
    assert error["param"] == "messages" and error["code"] is None


class Step(BaseModel):
    explanation: str
    output: str


class Answer(BaseModel):
    steps: List[Step]
    final_answer: str
    confidence: float = Field(ge=0, le=1)
    mood: Literal["happy", "sad"]
    note: Optional[str]


def test_parse_with_pydantic_model(mock):
    r = mock.client.chat.completions.parse(model="gpt-4o", messages=USER, response_format=Answer)
    parsed = r.choices[0].message.parsed
    assert isinstance(parsed, Answer) and parsed.steps and 0 <= parsed.confidence <= 1


def test_json_schema_with_defs_refs_enums_and_bounds(mock):
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}, "minItems": 2, "maxItems": 4},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "maybe": {"anyOf": [{"type": "integer", "minimum": 10, "maximum": 12}, {"type": "null"}]},
        },
        "required": ["items", "kind", "maybe"],
        "additionalProperties": False,
        "$defs": {"item": {"type": "object", "properties": {"n": {"type": "number", "minimum": -1, "maximum": 1}},
                           "required": ["n"], "additionalProperties": False}},
    }
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, response_format={
        "type": "json_schema", "json_schema": {"name": "thing", "schema": schema, "strict": True}})
    import jsonschema

    jsonschema.validate(json.loads(r.choices[0].message.content), schema)


def test_strict_schema_violation_names_the_path(mock):
    bad = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"],
           "additionalProperties": False}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, response_format={
            "type": "json_schema", "json_schema": {"name": "x", "schema": bad, "strict": True}})
    # The real body: param response_format, code null, the path inside the schema as a tuple (outlines#1666).
    assert (info.value.body["param"], info.value.body["code"]) == ("response_format", None)
    assert "In context=()" in info.value.body["message"] and "Missing 'b'" in info.value.body["message"]


def test_reference_pydantic_schema_with_strict_is_rejected(mock):
    # §7.3 passes raw model_json_schema() with strict: True; the real API rejects it.
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, response_format={
            "type": "json_schema", "json_schema": {"name": "a", "schema": Answer.model_json_schema(), "strict": True}})
    assert "additionalProperties" in info.value.body["message"]


def test_parallel_tool_calls_one_per_entity(mock):
    msgs = [{"role": "user", "content": "What's the weather in London, Paris, and Tokyo?"}]
    r = mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER])
    calls = r.choices[0].message.tool_calls
    assert r.choices[0].finish_reason == "tool_calls" and r.choices[0].message.content is None
    assert [json.loads(c.function.arguments)["location"] for c in calls] == ["London", "Paris", "Tokyo"]
    assert all(c.id.startswith("call_") for c in calls)
    single = mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER], parallel_tool_calls=False)
    assert len(single.choices[0].message.tool_calls) == 1


def test_tool_choice_modes(mock):
    joke = [{"role": "user", "content": "Tell me a joke."}]
    assert mock.client.chat.completions.create(model="gpt-4o", messages=joke, tools=[WEATHER]).choices[0].message.tool_calls is None
    required = mock.client.chat.completions.create(model="gpt-4o", messages=joke, tools=[WEATHER], tool_choice="required")
    assert required.choices[0].message.tool_calls[0].function.name == "get_weather"
    none = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "weather in Oslo?"}],
                                               tools=[WEATHER], tool_choice="none")
    assert none.choices[0].message.tool_calls is None
    forced = mock.client.chat.completions.create(model="gpt-4o", messages=joke, tools=[WEATHER],
                                                 tool_choice={"type": "function", "function": {"name": "get_weather"}})
    assert forced.choices[0].message.tool_calls[0].function.name == "get_weather"
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=joke, tools=[WEATHER],
                                            tool_choice={"type": "function", "function": {"name": "nope"}})
    assert info.value.body["param"] == "tool_choice"


def test_tool_loop_round_trip_with_sdk_message(mock):
    msgs = [{"role": "user", "content": "What's the weather in Berlin?"}]
    first = mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER])
    message = first.choices[0].message
    msgs.append(message)  # the SDK's own message object, with its extra null fields
    for call in message.tool_calls:
        msgs.append({"role": "tool", "tool_call_id": call.id, "content": "12 degrees and cloudy"})
    final = mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER])
    assert final.choices[0].finish_reason == "stop"
    assert "12 degrees and cloudy" in final.choices[0].message.content


def test_unanswered_tool_call_is_400(mock):
    msgs = [
        {"role": "user", "content": "weather in Rome?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "user", "content": "and?"},
    ]
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER])
    error = info.value.body
    assert error["message"] == ("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                                "'tool_call_id'. The following tool_call_ids did not have response messages: call_1")
    assert error["param"] == "messages.[2].role" and error["code"] is None
    with pytest.raises(openai.BadRequestError) as info:  # the answers are missing at the end: param "messages"
        mock.client.chat.completions.create(model="gpt-4o", messages=msgs[:2], tools=[WEATHER])
    assert info.value.body["param"] == "messages" and info.value.body["code"] is None
    orphan = [{"role": "user", "content": "hi"}, {"role": "tool", "tool_call_id": "call_x", "content": "1"}]
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=orphan)
    error = info.value.body
    assert error["message"] == ("Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                                "with 'tool_calls'.")
    assert error["param"] == "messages.[1].role" and error["code"] is None
    answered = msgs[:2] + [{"role": "tool", "tool_call_id": "call_1", "content": "sunny"}] * 2  # a second answer to one call
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=answered, tools=[WEATHER])
    assert info.value.body["param"] == "messages.[3].role"


def test_legacy_functions(mock):
    r = mock.client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "What's the weather in Madrid?"}],
        functions=[WEATHER["function"]], function_call="auto")
    assert r.choices[0].finish_reason == "function_call"
    assert json.loads(r.choices[0].message.function_call.arguments)["location"] == "Madrid"



def test_functions_and_tools_together_is_the_real_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, tools=[WEATHER], functions=[WEATHER["function"]])
    error = info.value.body
    assert error["message"] == ("Invalid request: 'functions' and 'tools' cannot both be provided. "
                                "'functions' are deprecated; use the 'tools' parameter instead.")
    assert error["param"] is None and error["code"] is None and error["type"] == "invalid_request_error"


@pytest.mark.parametrize("kwargs,param,message", [
    ({"tool_choice": "none"}, "tool_choice",
     "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."),
    ({"parallel_tool_calls": False}, "parallel_tool_calls",
     "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified."),
    ({"function_call": "auto"}, "function_call",
     "Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified."),
    ({"stream_options": {"include_usage": True}}, "stream_options",
     "The 'stream_options' parameter is only allowed when 'stream' is enabled."),
])
def test_tool_and_stream_options_without_their_parameter_are_the_real_400(mock, kwargs, param, message):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, **kwargs)
    error = info.value.body
    assert error["message"] == message and error["param"] == param and error["code"] is None


def test_two_tools_with_one_name_are_accepted(mock):
    twin = {**WEATHER, "function": {**WEATHER["function"], "description": "The weather again"}}
    r = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "weather in Oslo?"}],
                                            tools=[WEATHER, twin], tool_choice="required")
    assert r.choices[0].message.tool_calls[0].function.name == "get_weather"


def test_tools_on_a_model_without_tools_is_the_real_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="o1-mini", messages=USER, tools=[WEATHER])
    error = info.value.body
    assert error["message"] == "Unsupported parameter: 'tools' is not supported with this model."
    assert error["param"] == "tools" and error["code"] == "unsupported_parameter"


def test_strict_function_schema_context_is_a_tuple_of_keys(mock):
    loose = {"type": "function", "function": {"name": "f", "strict": True, "parameters": {
        "type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}}}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, tools=[loose])
    error = info.value.body
    assert error["message"].startswith("Invalid schema for function 'f': In context=(), ")
    assert error["param"] == "tools[0].function.parameters" and error["code"] == "invalid_function_parameters"

def _png(width: int, height: int) -> str:
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_vision_tokens_follow_the_tile_rule(mock):
    def usage(detail: str, w: int, h: int) -> int:
        content = [{"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": _png(w, h), "detail": detail}}]
        return mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": content}], max_tokens=1).usage.prompt_tokens
    text_only = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": [{"type": "text", "text": "What is this?"}]}], max_tokens=1).usage.prompt_tokens
    assert usage("low", 1000, 1000) - text_only == 85
    # 2048x4096 -> 1024x2048 -> 768x1536: 2x3 tiles -> 85 + 6*170
    assert usage("high", 2048, 4096) - text_only == 85 + 6 * 170


def test_images_to_a_model_without_vision_is_400(mock):
    content = [{"type": "image_url", "image_url": {"url": _png(10, 10)}}]
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="o1-mini", messages=[{"role": "user", "content": content}])
    error = info.value.body
    assert error["message"] == "Invalid content type. image_url is only supported by certain models."
    assert error["param"] == "messages.[0].content.[0].type" and error["code"] is None


def test_context_length_exceeded(mock):
    huge = "word " * 9000
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": huge}])
    assert info.value.body["code"] == "context_length_exceeded"


def test_max_tokens_above_model_limit(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4", messages=USER, max_tokens=5000)
    error = info.value.body
    assert error["param"] == "max_tokens" and error["code"] is None
    assert error["message"].startswith("max_tokens is too large: 5000. This model supports at most ")


@pytest.mark.parametrize("kwargs,param", [
    ({"temperature": 2.5}, "temperature"),
    ({"top_p": 1.5}, "top_p"),
    ({"frequency_penalty": -3}, "frequency_penalty"),
    ({"presence_penalty": 3}, "presence_penalty"),
    ({"n": 0}, "n"),
    ({"logprobs": True, "top_logprobs": 21}, "top_logprobs"),
    ({"top_logprobs": 2}, "top_logprobs"),
    ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ({"logit_bias": {"50256": 101}}, "logit_bias.50256"),
    ({"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
    ({"stream_options": {"include_usage": True}}, "stream_options"),
])
def test_parameter_ranges(mock, kwargs, param):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=USER, **kwargs)
    body = info.value.body
    assert body["type"] == "invalid_request_error" and body["param"] == param


def test_unknown_model_is_404(mock):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.chat.completions.create(model="gpt-nope", messages=USER)
    # The real body: param null (openai/openai-agents-python#458).
    assert info.value.body == {"message": "The model `gpt-nope` does not exist or you do not have access to it.",
                               "type": "invalid_request_error", "param": None, "code": "model_not_found"}


def test_streaming_text_and_usage_chunk(mock):
    stream = mock.client.chat.completions.create(model="gpt-4o", messages=USER, stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    for c in chunks:
        mock.validate("createChatCompletion", c, stream=True)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.usage is None for c in chunks[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0
    assert chunks[-2].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks[:-1])
    plain = mock.client.chat.completions.create(model="gpt-4o", messages=USER)
    assert text == plain.choices[0].message.content
    assert chunks[-1].usage == plain.usage


def test_streaming_tool_call_fragments(mock):
    msgs = [{"role": "user", "content": "What's the weather in London and Paris?"}]
    chunks = list(mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER], stream=True))
    calls: dict[int, dict] = {}
    for c in chunks:
        for tc in c.choices[0].delta.tool_calls or []:
            entry = calls.setdefault(tc.index, {"id": None, "name": None, "args": "", "fragments": 0})
            if tc.id:
                assert entry["id"] is None, "id only in the first fragment"
                entry["id"], entry["name"] = tc.id, tc.function.name
            else:
                assert tc.function.name is None and tc.type is None
            entry["args"] += tc.function.arguments or ""
            entry["fragments"] += 1
    plain = mock.client.chat.completions.create(model="gpt-4o", messages=msgs, tools=[WEATHER])
    plain_calls = plain.choices[0].message.tool_calls
    assert [calls[i]["args"] for i in sorted(calls)] == [t.function.arguments for t in plain_calls]
    streamed_ids = {calls[i]["id"] for i in calls}  # the streamed call is another call: its tool call ids are its own
    assert all(i.startswith("call_") for i in streamed_ids) and len(streamed_ids) == len(calls)
    assert streamed_ids.isdisjoint(t.id for t in plain_calls)
    assert all(v["fragments"] > 2 for v in calls.values())
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_stream_helper_accumulates(mock):
    with mock.client.chat.completions.stream(model="gpt-4o", messages=USER) as stream:
        deltas = [e.delta for e in stream if e.type == "content.delta"]
        final = stream.get_final_completion()
    assert "".join(deltas) == final.choices[0].message.content


def test_stream_ends_with_done(mock):
    with mock.client.chat.completions.with_streaming_response.create(model="gpt-4o", messages=USER, stream=True) as resp:
        body = b"".join(resp.iter_bytes())
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert body.endswith(b"data: [DONE]\n\n")


def test_stream_n_choices_are_interleaved(mock):
    chunks = list(mock.client.chat.completions.create(model="gpt-4o", messages=USER, n=2, stream=True))
    indices = [c.choices[0].index for c in chunks]
    assert indices[:2] == [0, 1]
    plain = mock.client.chat.completions.create(model="gpt-4o", messages=USER, n=2)
    for i in (0, 1):
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices[0].index == i)
        assert text == plain.choices[i].message.content


async def test_async_create_and_stream(mock):
    r = await mock.async_client.chat.completions.create(model="gpt-4o-mini", messages=USER)
    assert r.choices[0].message.content
    stream = await mock.async_client.chat.completions.create(model="gpt-4o-mini", messages=USER, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream])
    assert text == r.choices[0].message.content


def test_stored_completions_crud(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, store=True, metadata={"team": "a"})
    got = mock.client.chat.completions.retrieve(r.id)
    assert got.id == r.id and got.choices[0].message.content == r.choices[0].message.content
    listed = mock.client.chat.completions.list(metadata={"team": "a"})
    assert [c.id for c in listed.data] == [r.id]
    msgs = mock.client.chat.completions.messages.list(r.id)
    assert msgs.data[0].content == USER[0]["content"] and msgs.data[0].role == "user"
    mock.validate("getChatCompletionMessages", msgs)
    updated = mock.client.chat.completions.update(r.id, metadata={"team": "b"})
    assert updated.metadata == {"team": "b"}
    assert mock.client.chat.completions.delete(r.id).deleted
    with pytest.raises(openai.NotFoundError):
        mock.client.chat.completions.retrieve(r.id)


def test_developer_role_and_names(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "developer", "content": "Be brief."}, {"role": "user", "name": "ann", "content": "Hi"}])
    assert r.choices[0].message.content


@pytest.mark.parametrize("model,role,index", [("o1-mini", "system", 0), ("o1-mini", "developer", 0), ("o3", "function", 1),
                                              ("gpt-5", "function", 1)])
def test_roles_an_older_reasoning_model_refuses(mock, model, role, index):
    # The catalogue's refused_roles, each cited (o1-mini: microsoft/agent-framework#1077; o3: TheR1D/shell_gpt#717).
    first = {"role": role, "content": "Be brief."} if index == 0 else {"role": "user", "content": "list files"}
    second = {"role": "user", "content": "Hi"} if index == 0 else {"role": role, "name": "ls", "content": "a.txt"}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model=model, messages=[first, second])
    assert info.value.body == {"message": f"Unsupported value: 'messages[{index}].role' does not support '{role}' with this model.",
                               "type": "invalid_request_error", "param": f"messages[{index}].role", "code": "unsupported_value"}


def test_system_role_is_fine_on_the_later_reasoning_models(mock):
    for model in ("o1", "o3-mini", "gpt-5"):
        r = mock.client.chat.completions.create(model=model, messages=[{"role": "system", "content": "Be brief."}, *USER])
        assert r.choices[0].message.content
