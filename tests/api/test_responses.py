"""The Responses API (§4, seed-inventory E2, §2.6-2.8): the SDK's view, in-process and live."""

from __future__ import annotations

import base64
import json
from typing import List, Literal

import openai
import pytest
from pydantic import BaseModel

WEATHER = {
    "type": "function", "name": "get_weather", "description": "Get the current weather for a location", "strict": True,
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
                   "required": ["location", "unit"], "additionalProperties": False},
}
ALICE = "My name is Alice and I work as a software engineer."


def create(mock, **kwargs):
    """Create a response, validate it against the contract, and return it."""
    kwargs.setdefault("model", "gpt-4o")
    response = mock.client.responses.create(**kwargs)
    mock.validate("createResponse", dump(response))
    return response


def dump(model) -> dict:
    """The wire form of an SDK object (by alias: the SDK calls the format's ``schema`` field ``schema_``)."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def error_of(info: pytest.ExceptionInfo) -> dict:
    return info.value.body if "message" in info.value.body else info.value.body["error"]


# -- basics -----------------------------------------------------------------------------------
def test_basic_shape_usage_and_no_output_text_on_the_wire(mock):
    raw = mock.client.responses.with_raw_response.create(model="gpt-4o", input="Tell me about Paris.", instructions="Be brief.")
    body = json.loads(raw.http_response.content)
    assert "output_text" not in body  # an SDK convenience, never sent
    r = raw.parse()
    mock.validate("createResponse", r)
    assert r.id.startswith("resp_") and r.object == "response" and r.status == "completed"
    assert r.created_at == 1_750_000_000 and r.completed_at == 1_750_000_000
    assert r.instructions == "Be brief." and r.store is True and r.error is None and r.incomplete_details is None
    message = r.output[0]
    assert message.type == "message" and message.id.startswith("msg_") and message.role == "assistant"
    assert message.content[0].type == "output_text" and r.output_text == message.content[0].text and len(r.output_text) > 20
    assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens
    assert r.usage.output_tokens_details.reasoning_tokens == 0


def test_same_request_same_answer_own_ids(mock):
    first = mock.client.responses.create(model="gpt-4o", input="Describe a lighthouse.")
    again = mock.client.responses.create(model="gpt-4o", input="Describe a lighthouse.")
    other = mock.client.responses.create(model="gpt-4o", input="Describe a harbour.")
    assert first.id != again.id and first.output[0].id != again.output[0].id  # each call is its own response…
    assert first.output_text == again.output_text and first.usage == again.usage  # …saying the same
    assert other.output_text != first.output_text


def test_input_items_with_text_and_image_parts(mock):
    r = create(mock, input=[
        {"role": "developer", "content": "Answer plainly."},
        {"role": "user", "content": [{"type": "input_text", "text": "What is in this picture?"},
                                     {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "low"}]},
    ])
    assert r.status == "completed" and r.output_text
    items = mock.client.responses.input_items.list(r.id, order="asc")
    mock.validate("listInputItems", items)
    assert [i.role for i in items.data] == ["developer", "user"]
    assert [p.type for p in items.data[1].content] == ["input_text", "input_image"]


# -- conversation state ----------------------------------------------------------------------
def test_chain_remembers_and_instructions_are_not_inherited(mock):
    r1 = create(mock, input=ALICE, instructions="You are a helpful assistant.")
    r2 = create(mock, input="What's my occupation?", previous_response_id=r1.id)
    assert "software engineer" in r2.output_text
    assert r2.previous_response_id == r1.id and r2.instructions is None
    alone = create(mock, input="What's my occupation?")
    assert "software engineer" not in alone.output_text


def test_branches_see_only_their_own_ancestors(mock):
    r1 = create(mock, input=ALICE)
    r2 = create(mock, input="My favourite colour is green.", previous_response_id=r1.id)
    r3 = create(mock, input="Actually, I'm a data scientist.", previous_response_id=r1.id)
    on_r3 = create(mock, input="What's my occupation?", previous_response_id=r3.id)
    assert "data scientist" in on_r3.output_text and "software engineer" not in on_r3.output_text
    assert "green" not in create(mock, input="What's my favourite colour?", previous_response_id=r3.id).output_text
    assert "green" in create(mock, input="What's my favourite colour?", previous_response_id=r2.id).output_text
    assert "software engineer" in create(mock, input="What's my occupation?", previous_response_id=r2.id).output_text


def test_unknown_previous_response_is_400_previous_response_not_found(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", previous_response_id="resp_doesnotexist")
    err = error_of(info)
    assert err["param"] == "previous_response_id" and err["code"] == "previous_response_not_found"
    assert "resp_doesnotexist" in err["message"]


def test_store_false_parent_cannot_be_continued_or_retrieved(mock):
    r1 = create(mock, input=ALICE, store=False)
    assert r1.store is False
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="What's my occupation?", previous_response_id=r1.id)
    assert "store=false" in error_of(info)["message"] and error_of(info)["code"] == "previous_response_not_found"
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.responses.retrieve(r1.id)
    assert error_of(info)["param"] == "response_id"


def test_reasoning_of_an_unstored_response_cannot_be_sent_back_by_id_alone(mock):
    r1 = create(mock, model="o4-mini", input="Plan a trip.", store=False)
    reasoning = r1.output[0]
    assert reasoning.type == "reasoning" and not reasoning.encrypted_content
    history = [{"role": "user", "content": "Plan a trip."}, reasoning.model_dump(exclude_none=True),
               {"role": "user", "content": "Shorter."}]
    # The real answer is a 404 naming the item, param "input" (can1357/oh-my-pi#41, continuedev/continue#9101).
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.responses.create(model="o4-mini", input=history, store=False)
    assert reasoning.id in error_of(info)["message"] and error_of(info)["param"] == "input"
    # Messages and function calls of an unstored response carry their content: sent back, they are input.
    r2 = create(mock, input="What's the weather in Oslo?", tools=[WEATHER], store=False)
    history = [{"role": "user", "content": "What's the weather in Oslo?"}, r2.output[0].model_dump(exclude_none=True),
               {"type": "function_call_output", "call_id": r2.output[0].call_id, "output": "snow"}]
    assert "snow" in create(mock, input=history, tools=[WEATHER]).output_text


def test_a_response_is_private_to_its_project(mock):
    r1 = create(mock, input=ALICE, extra_headers={"openai-project": "proj_a"})
    with pytest.raises(openai.NotFoundError):
        mock.client.responses.retrieve(r1.id, extra_headers={"openai-project": "proj_b"})
    with pytest.raises(openai.BadRequestError):
        mock.client.responses.create(model="gpt-4o", input="hi", previous_response_id=r1.id, extra_headers={"openai-project": "proj_b"})
    assert mock.client.responses.retrieve(r1.id, extra_headers={"openai-project": "proj_a"}).id == r1.id


def test_a_failed_response_has_an_error_and_no_output(mock):
    mock.engine.overrides.queue({"message": "(?i)explode"}, {"error": {"code": "server_error", "message": "The model crashed."}})
    r = create(mock, input="Please explode.")
    assert r.status == "failed" and r.error.code == "server_error" and r.error.message == "The model crashed."
    assert r.output == [] and r.completed_at is None


def test_retrieve_delete_and_input_items_pagination(mock):
    r = create(mock, input=[{"role": "user", "content": f"Line {k}"} for k in range(5)])
    got = mock.client.responses.retrieve(r.id)
    mock.validate("getResponse", got)
    assert got.model_dump() == r.model_dump()
    page = mock.client.responses.input_items.list(r.id, limit=2)
    assert [i.content[0].text for i in page.data] == ["Line 4", "Line 3"] and page.has_more
    following = mock.client.responses.input_items.list(r.id, limit=2, after=page.data[-1].id)
    assert [i.content[0].text for i in following.data] == ["Line 2", "Line 1"]
    every = [i.content[0].text for i in mock.client.responses.input_items.list(r.id, limit=2, order="asc")]  # auto-pagination
    assert every == [f"Line {k}" for k in range(5)]
    raw = mock.client.responses.with_raw_response.delete(r.id)
    assert json.loads(raw.http_response.content) == {"id": r.id, "object": "response.deleted", "deleted": True}
    with pytest.raises(openai.NotFoundError):
        mock.client.responses.retrieve(r.id)
    with pytest.raises(openai.NotFoundError):
        mock.client.responses.delete(r.id)


def test_background_response_progresses_with_the_clock_and_can_be_cancelled(mock):
    r = create(mock, input="Write a short story about a fox.", background=True)
    assert r.status == "queued" and r.background is True and r.output == []
    mock.engine.clock.advance(1)
    assert mock.client.responses.retrieve(r.id).status == "in_progress"
    mock.engine.clock.advance(5)
    done = mock.client.responses.retrieve(r.id)
    mock.validate("getResponse", done)
    assert done.status == "completed" and done.output_text
    with pytest.raises(openai.BadRequestError):
        mock.client.responses.cancel(r.id)
    other = create(mock, input="Write a short story about an owl.", background=True)
    cancelled = mock.client.responses.cancel(other.id)
    mock.validate("cancelResponse", cancelled)
    assert cancelled.status == "cancelled"
    mock.engine.clock.advance(10)
    assert mock.client.responses.retrieve(other.id).status == "cancelled"
    assert mock.client.responses.cancel(other.id).status == "cancelled"  # idempotent


def test_cancel_of_a_foreground_response_is_400(mock):
    r = create(mock, input="hello")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.cancel(r.id)
    assert "background" in error_of(info)["message"]


# -- function tools --------------------------------------------------------------------------
def test_tool_loop_with_function_call_output(mock):
    r1 = create(mock, input="What's the weather in Paris?", tools=[WEATHER])
    call = r1.output[0]
    assert call.type == "function_call" and call.id.startswith("fc_") and call.call_id.startswith("call_")
    assert call.name == "get_weather" and json.loads(call.arguments)["location"] == "Paris"
    assert r1.output_text == ""
    r2 = create(mock, previous_response_id=r1.id, tools=[WEATHER],
                input=[{"type": "function_call_output", "call_id": call.call_id, "output": '{"temp": 21, "sky": "sunny"}'}])
    assert r2.output[0].type == "message" and "sunny" in r2.output_text


def test_parallel_calls_one_per_entity_and_forced_choice(mock):
    r = create(mock, input="What's the weather in London, Paris, and Tokyo?", tools=[WEATHER])
    assert [json.loads(o.arguments)["location"] for o in r.output] == ["London", "Paris", "Tokyo"]
    assert len({o.call_id for o in r.output}) == 3
    single = create(mock, input="What's the weather in London, Paris, and Tokyo?", tools=[WEATHER], parallel_tool_calls=False)
    assert len(single.output) == 1
    forced = create(mock, input="Tell me a joke.", tools=[WEATHER], tool_choice={"type": "function", "name": "get_weather"})
    assert forced.output[0].type == "function_call"
    assert create(mock, input="Weather in Paris?", tools=[WEATHER], tool_choice="none").output[0].type == "message"


def test_manual_history_tool_loop_without_previous_response(mock):
    r1 = create(mock, input="What's the weather in Rome?", tools=[WEATHER])
    history = [{"role": "user", "content": "What's the weather in Rome?"}, *[o.model_dump(exclude_none=True) for o in r1.output],
               {"type": "function_call_output", "call_id": r1.output[0].call_id, "output": "rainy"}]
    r2 = create(mock, input=history, tools=[WEATHER])
    assert "rainy" in r2.output_text


def test_tool_output_without_a_call_and_call_without_output_are_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input=[{"type": "function_call_output", "call_id": "call_nope", "output": "x"}])
    assert "call_nope" in error_of(info)["message"]
    r1 = create(mock, input="What's the weather in Paris?", tools=[WEATHER])
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", previous_response_id=r1.id, input="And tomorrow?", tools=[WEATHER])
    assert r1.output[0].call_id in error_of(info)["message"]


def test_tool_choice_naming_a_missing_tool_is_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", tools=[WEATHER], tool_choice={"type": "function", "name": "other"})
    assert error_of(info)["param"] == "tool_choice"


@pytest.mark.parametrize("kwargs,param", [
    ({"background": True, "store": False}, "store"),
    ({"tools": [WEATHER], "tool_choice": {"type": "file_search"}}, "tool_choice"),
    ({"stream_options": {"include_obfuscation": False}}, "stream_options"),
    ({"input": [{"type": "item_reference", "id": "msg_unknown"}]}, "input[0].id"),
])
def test_semantic_rules(mock, kwargs, param):
    kwargs.setdefault("input", "hi")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", **kwargs)
    assert error_of(info)["param"] == param


def test_item_reference_to_a_stored_item_and_duplicates(mock):
    r1 = create(mock, input=ALICE)
    said = mock.client.responses.input_items.list(r1.id).data[0]
    r2 = create(mock, input=[{"type": "item_reference", "id": said.id}, {"role": "user", "content": "Who am I?"}])
    assert "Alice" in r2.output_text
    with pytest.raises(openai.BadRequestError) as info:  # already in the chain: the real API's duplicate-item 400
        mock.client.responses.create(model="gpt-4o", previous_response_id=r1.id,
                                     input=[{"type": "item_reference", "id": r1.output[0].id}, {"role": "user", "content": "Who am I?"}])
    assert error_of(info)["message"].startswith(f"Duplicate item found with id {r1.output[0].id}.")


# -- structured output -----------------------------------------------------------------------
class Step(BaseModel):
    explanation: str
    output: str


class MathAnswer(BaseModel):
    steps: List[Step]
    final_answer: str
    confidence: Literal["low", "medium", "high"]


def test_parse_with_a_pydantic_model(mock):
    parsed = mock.client.responses.parse(model="gpt-4o", input="Solve 8x + 7 = -23", text_format=MathAnswer)
    # by_alias: the SDK names the format's `schema` field `schema_` in Python
    mock.validate("createResponse", dump(parsed))
    assert isinstance(parsed.output_parsed, MathAnswer) and parsed.output_parsed.steps
    assert parsed.text.format.type == "json_schema" and parsed.text.format.name == "MathAnswer"


def test_flat_json_schema_format_and_json_object(mock):
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "population": {"type": "integer", "minimum": 1}},
              "required": ["city", "population"], "additionalProperties": False}
    r = create(mock, input="Largest city in Japan?", text={"format": {"type": "json_schema", "name": "city", "schema": schema, "strict": True}})
    value = json.loads(r.output_text)
    assert set(value) == {"city", "population"} and value["population"] >= 1
    r = create(mock, input="Reply in JSON: what is 2+2?", text={"format": {"type": "json_object"}})
    assert isinstance(json.loads(r.output_text), dict)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="what is 2+2?", text={"format": {"type": "json_object"}})
    assert "json" in error_of(info)["message"]


def test_strict_schema_violation_names_the_path(mock):
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": [], "additionalProperties": False}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="x", text={"format": {"type": "json_schema", "name": "s", "schema": schema, "strict": True}})
    assert error_of(info)["param"] == "text.format.schema" and "'a'" in error_of(info)["message"]


def test_logprobs_when_included(mock):
    r = create(mock, input="Name a colour.", include=["message.output_text.logprobs"], top_logprobs=2)
    part = r.output[0].content[0]
    assert "".join(lp.token for lp in part.logprobs) == part.text
    assert all(lp.logprob <= 0 and len(lp.top_logprobs) == 2 and lp.top_logprobs[0].token == lp.token for lp in part.logprobs)
    assert create(mock, input="Name a colour.").output[0].content[0].logprobs == []
    events = [e for e in mock.client.responses.create(model="gpt-4o", input="Name a colour.", stream=True, top_logprobs=2,
                                                      include=["message.output_text.logprobs"])]
    for event in events:
        mock.validate("createResponse", dump(event), stream=True)
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert [d.logprobs[0].token for d in deltas] == [d.delta for d in deltas]
    assert [d.logprobs[0].logprob for d in deltas] == [lp.logprob for lp in part.logprobs]


# -- limits and reasoning --------------------------------------------------------------------
def test_max_output_tokens_hit_gives_incomplete(mock):
    r = create(mock, input="Write an essay about rivers in 500 words.", max_output_tokens=16)
    assert r.status == "incomplete" and r.incomplete_details.reason == "max_output_tokens"
    assert r.usage.output_tokens == 16 and r.output[0].status == "incomplete" and r.completed_at is None
    from mockapi.core.tokenizer import count_tokens

    assert count_tokens(r.output_text) == 16


@pytest.mark.parametrize("kwargs,param", [
    ({"max_output_tokens": 15}, "max_output_tokens"),
    ({"temperature": 2.5}, "temperature"),
    ({"top_p": 1.5}, "top_p"),
    ({"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
])
def test_faithful_ranges(mock, kwargs, param):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", **kwargs)
    assert error_of(info)["param"] == param


def test_context_window_and_truncation_auto(mock):
    long = "lorem " * 5000
    r1 = create(mock, model="gpt-4", input=long)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4", input=long, previous_response_id=r1.id)
    assert error_of(info)["code"] == "context_length_exceeded"
    r2 = create(mock, model="gpt-4", input=long, previous_response_id=r1.id, truncation="auto")
    assert r2.status == "completed" and r2.truncation == "auto" and r2.usage.input_tokens <= 8192


def test_reasoning_model_has_a_reasoning_item_and_tokens(mock):
    r = create(mock, model="o4-mini", input="Plan a three-step proof.", reasoning={"effort": "high", "summary": "auto"},
               include=["reasoning.encrypted_content"])
    reasoning, message = r.output
    assert reasoning.type == "reasoning" and reasoning.id.startswith("rs_") and reasoning.summary[0].type == "summary_text"
    assert reasoning.encrypted_content
    assert r.usage.output_tokens_details.reasoning_tokens >= 512 and r.reasoning.effort == "high"
    assert r.usage.output_tokens > r.usage.output_tokens_details.reasoning_tokens and message.type == "message"
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="x", reasoning={"effort": "high"})
    assert error_of(info)["param"] == "reasoning.effort"


def test_reasoning_can_use_the_whole_budget(mock):
    r = create(mock, model="o3", input="Think hard.", reasoning={"effort": "high"}, max_output_tokens=100)
    assert r.status == "incomplete" and [o.type for o in r.output] == ["reasoning"] and r.output_text == ""
    assert r.usage.output_tokens_details.reasoning_tokens == 100
    default = create(mock, model="o3-mini", input="Think.")
    assert default.reasoning.effort == "medium" and default.output[0].summary == []


def test_unknown_model_is_404(mock):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.responses.create(model="gpt-nope", input="x")
    assert (error_of(info)["code"], error_of(info)["param"]) == ("model_not_found", None)


def test_models_the_responses_api_refuses(mock):
    # The real 400 for the search-preview models (Laisky/one-api#88); which models: fixtures/models.yaml.
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o-mini-search-preview", input="News?")
    assert error_of(info) == {"message": "The requested model 'gpt-4o-mini-search-preview' is not supported with the Responses API.",
                              "type": "invalid_request_error", "param": "model", "code": "model_not_found"}


# -- built-in tools --------------------------------------------------------------------------
def test_web_search_call_and_url_citations(mock):
    r = create(mock, input="What are the latest AI news?", tools=[{"type": "web_search"}], include=["web_search_call.action.sources"])
    call, message = r.output
    assert call.type == "web_search_call" and call.id.startswith("ws_") and call.status == "completed"
    assert call.action.type == "search" and call.action.query and call.action.sources
    notes = message.content[0].annotations
    assert len(notes) == 2 and all(n.type == "url_citation" for n in notes)
    for note in notes:
        assert r.output_text[note.start_index:note.end_index] == f"[{note.url.split('/')[2]}]({note.url})"
    quiet = create(mock, input="Say hello.", tools=[{"type": "web_search"}])
    assert [o.type for o in quiet.output] == ["message"]  # auto: no search when the prompt needs none


def test_file_search_from_fixtures(mock):
    r = create(mock, input="Find information about machine learning in the documents",
               tools=[{"type": "file_search", "vector_store_ids": ["vs_unknown"]}], include=["file_search_call.results"])
    call, message = r.output
    assert call.type == "file_search_call" and call.queries and call.results
    assert call.results[0].filename == "notes.md"  # the fixture that mentions machine learning ranks first
    # The answer quotes the one file that speaks about the question and cites it (not an unrelated second file).
    part = message.content[0]
    assert "Meeting notes record decisions about the roadmap, machine learning experiments and hiring." in part.text
    assert [(a.type, a.file_id, a.filename) for a in part.annotations] == [("file_citation", call.results[0].file_id, "notes.md")]
    assert part.text[part.annotations[0].index:].startswith("(notes.md)")


def test_file_search_reads_the_vector_store_state(mock):
    if not hasattr(mock.client, "vector_stores") or "createVectorStore" not in mock.engine.handlers:
        pytest.skip("the vector-store resource is not in this tree")
    f = mock.client.files.create(file=("guide.txt", b"Zebras sleep standing up in the savanna at night."), purpose="assistants")
    store = mock.client.vector_stores.create(name="kb", file_ids=[f.id])
    r = create(mock, input="How do zebras sleep according to the documents?", include=["file_search_call.results"],
               tools=[{"type": "file_search", "vector_store_ids": [store.id]}])
    call = r.output[0]
    assert call.results and call.results[0].file_id == f.id and "Zebras" in call.results[0].text


def test_code_interpreter_needs_a_container_and_runs_in_it(mock):
    r = create(mock, input="Calculate the first 20 fibonacci numbers", include=["code_interpreter_call.outputs"],
               tools=[{"type": "code_interpreter", "container": {"type": "auto"}}])
    call = r.output[0]
    assert call.type == "code_interpreter_call" and call.container_id.startswith("cntr_") and "fibonacci" not in call.code
    assert "4181" in call.outputs[0].logs
    named = create(mock, input="Compute the sum of 2 and 3", tools=[{"type": "code_interpreter", "container": "cntr_abc"}])
    assert named.output[0].container_id == "cntr_abc" and named.output[0].outputs is None


def test_image_generation_returns_a_png(mock):
    r = create(mock, input="Draw a picture of a lighthouse", tools=[{"type": "image_generation"}])
    call = r.output[0]
    assert call.type == "image_generation_call" and call.status == "completed"
    assert base64.b64decode(call.result).startswith(b"\x89PNG\r\n\x1a\n")


def test_computer_use_loop(mock):
    tool = {"type": "computer_use_preview", "display_width": 1024, "display_height": 768, "environment": "browser"}
    r1 = create(mock, input="Open the browser and click the search box", tools=[tool], truncation="auto")
    call = r1.output[0]
    assert call.type == "computer_call" and call.action.type == "click" and call.call_id.startswith("call_")
    shot = {"type": "computer_screenshot", "image_url": "data:image/png;base64,iVBORw0KGgo="}
    r2 = create(mock, previous_response_id=r1.id, tools=[tool], truncation="auto",
                input=[{"type": "computer_call_output", "call_id": call.call_id, "output": shot}])
    assert r2.output[0].type == "message"


def test_shell_and_apply_patch_calls(mock):
    shell = create(mock, input="Run `git status` in the shell", tools=[{"type": "shell", "environment": {"type": "local"}}])
    assert shell.output[0].type == "shell_call" and shell.output[0].action.commands == ["git status"]
    patch = create(mock, input="Fix the typo in app/main.py", tools=[{"type": "apply_patch"}])
    op = patch.output[0].operation
    assert patch.output[0].type == "apply_patch_call" and op.type == "update_file" and op.path == "app/main.py"
    forced = create(mock, input="Hello", tools=[{"type": "apply_patch"}, {"type": "web_search_preview"}],
                    tool_choice={"type": "web_search_preview"})
    assert [o.type for o in forced.output] == ["web_search_call", "message"]


# -- the reference's mistakes give a 400 that names the right shape ------------------------------
@pytest.mark.parametrize("kwargs,param,hint", [
    ({"tools": [{"type": "function", "function": {"name": "get_weather", "description": "d", "parameters": {"type": "object"}}}]},
     "tools[0].name", '"type": "function", "name"'),
    ({"extra_body": {"tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}}}, "tools": [{"type": "file_search", "vector_store_ids": ["vs_1"]}]},
     None, "vector_store_ids"),  # an unknown top-level argument: param null, as the real body has it
    ({"text": {"format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}}},
     "text.format.name", '"type": "json_schema", "name"'),
    ({"tools": [{"type": "code_interpreter"}]}, "tools[0].container", '"container": {"type": "auto"}'),
    ({"tools": [{"type": "file_search"}]}, "tools[0].vector_store_ids", "vector_store_ids"),
    ({"tools": [{"type": "computer_20241022", "display_width_px": 1024, "display_height_px": 768}]}, "tools[0].type", "computer_use_preview"),
    ({"extra_body": {"messages": [{"role": "user", "content": "hi"}]}}, None, "'input'"),
])
def test_reference_mistakes_name_the_right_shape(mock, kwargs, param, hint):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", **kwargs)
    err = error_of(info)
    assert err["param"] == param and hint in err["message"], err
    assert err["type"] == "invalid_request_error"


# -- async and the 1.x SDK -------------------------------------------------------------------
async def test_async_chain(mock):
    r1 = await mock.async_client.responses.create(model="gpt-4o", input=ALICE)
    r2 = await mock.async_client.responses.create(model="gpt-4o", input="What's my occupation?", previous_response_id=r1.id)
    mock.validate("createResponse", r2)
    assert "software engineer" in r2.output_text
    items = await mock.async_client.responses.input_items.list(r2.id)
    assert items.data[0].content[0].text == "What's my occupation?"


@pytest.fixture(scope="session")
def sdk1_python() -> str:
    """A virtualenv with a 1.x openai SDK that has ``client.responses`` (1.66 is the first)."""
    from tests.compat.venvs import sdk_python

    return str(sdk_python("openai==1.66.*"))


@pytest.mark.slow
def test_a_1x_sdk_works_against_the_live_server(sdk1_python, _live_server):
    """The 1.x SDK runs in its own process, so this uses the live server (the in-process door can't reach it)."""
    import os
    import subprocess
    from pathlib import Path

    from conftest import API_KEY, FROZEN_AT

    from mockapi.contract import load_contract

    _live_server.engine.store.reset()
    _live_server.engine.clock.freeze(FROZEN_AT)
    script = Path(__file__).with_name("sdk1_responses_script.py")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the venv's own openai, never this one
    run = subprocess.run([sdk1_python, str(script), _live_server.base_url, API_KEY], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["version"].startswith("1.")
    contract = load_contract()
    for body in seen["bodies"]:
        assert not contract.response_errors("createResponse", body)
    for event in seen["events"]:
        assert not contract.response_errors("createResponse", event, stream=True)
    assert "software engineer" in seen["occupation"]
    assert seen["call"]["type"] == "function_call" and seen["call"]["id"].startswith("fc_") and seen["call"]["call_id"].startswith("call_")
    assert "sunny" in seen["follow"]
    types = [e["type"] for e in seen["events"]]
    assert types[:2] == ["response.created", "response.in_progress"] and types[-1] == "response.completed"
    assert [e["sequence_number"] for e in seen["events"]] == list(range(len(types)))
    assert seen["helper_text"] == seen["events"][-1]["response"]["output"][0]["content"][0]["text"]
    assert seen["missing"] == 400
    assert seen["async_types"][-1] == "response.completed" and "software engineer" in seen["async_text"]


def test_input_tokens_count_the_whole_chain(mock):
    first = mock.client.responses.create(model="gpt-4o", input=ALICE)
    alone = mock.client.responses.input_tokens.count(model="gpt-4o", input="What's my occupation?")
    chained = mock.client.responses.input_tokens.count(model="gpt-4o", input="What's my occupation?", previous_response_id=first.id)
    assert alone.object == "response.input_tokens" and chained.input_tokens > alone.input_tokens > 0
    mock.validate("getInputTokenCounts", chained)


def test_compact_gives_one_compaction_item(mock):
    first = mock.client.responses.create(model="gpt-4o", input=ALICE)
    compacted = mock.client.responses.compact(model="gpt-4o", previous_response_id=first.id)
    mock.validate("compactResponse", compacted)
    assert compacted.object == "response.compaction"
    assert [item.type for item in compacted.output] == ["compaction"] and compacted.output[0].encrypted_content
    assert compacted.usage.input_tokens > 0
    with pytest.raises(openai.BadRequestError):
        mock.client.responses.compact(model="gpt-4o", previous_response_id="resp_unknown")


def test_reasoning_sent_back_by_id_needs_its_following_item(mock):
    # The real 400 (continuedev/continue#8933): param input, code null.
    first = create(mock, model="o4-mini", input="Tell me a joke.")
    reasoning, message = first.output[0], first.output[1]
    assert reasoning.type == "reasoning"
    item = {"type": "reasoning", "id": reasoning.id, "summary": []}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="o4-mini", input=[{"role": "user", "content": "Tell me a joke."}, item,
                                                             {"role": "user", "content": "Another"}])
    assert error_of(info) == {"message": f"Item '{reasoning.id}' of type 'reasoning' was provided without its required following item.",
                              "type": "invalid_request_error", "param": "input", "code": None}
    follow = {"type": "message", "role": "assistant", "id": message.id, "content": [{"type": "output_text", "text": first.output_text}]}
    again = create(mock, model="o4-mini", input=[{"role": "user", "content": "Tell me a joke."}, item, follow,
                                                 {"role": "user", "content": "Another"}])
    assert again.status == "completed"


# -- the real 400s (mockapi/api/responses/rules.py) ----------------------------------------------
RESPONSES_WEATHER = {"type": "function", "name": "get_weather", "description": "Weather for a city",
                     "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}


def test_tool_choice_of_an_absent_hosted_tool_is_the_real_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="Draw a cat.", tools=[RESPONSES_WEATHER],
                                     tool_choice={"type": "image_generation"})
    err = error_of(info)
    assert err["message"] == "Tool choice 'image_generation' not found in 'tools' parameter."
    assert err["param"] == "tool_choice" and err["code"] is None


def test_two_function_tools_with_one_name_are_accepted(mock):
    twin = {**RESPONSES_WEATHER, "description": "The weather again"}
    r = create(mock, input="What's the weather in Paris?", tools=[RESPONSES_WEATHER, twin], tool_choice="required")
    assert r.output[0].type == "function_call" and r.output[0].name == "get_weather"


def test_strict_function_schema_context_is_a_tuple_of_keys(mock):
    strict = {**RESPONSES_WEATHER, "strict": True}  # no additionalProperties: false at the root
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", tools=[strict])
    err = error_of(info)
    assert err["message"].startswith("Invalid schema for function 'get_weather': In context=(), ")
    assert err["param"] == "tools[0].parameters"


def test_a_stored_prompt_may_stand_for_the_model(mock):
    # The openai-agents examples' prompt templates send `prompt` without `model`: the stored prompt names it.
    prompt = {"id": "pmpt_0123456789abcdef", "version": "2", "variables": {"poem_style": "haiku"}}
    done = mock.client.responses.create(prompt=prompt, input="Tell me about recursion in programming.")
    assert done.status == "completed" and done.output_text and done.model
    assert done.prompt is not None and done.prompt.id == prompt["id"] and done.prompt.variables == {"poem_style": "haiku"}
    with pytest.raises(openai.BadRequestError) as refused:  # neither: still the real 400
        mock.client.responses.create(input="Hello.")
    assert refused.value.param == "model"


@pytest.mark.parametrize(("prompt", "kind"), [("Create tasks.md with a shopping checklist.", "create_file"),
                                              ("Delete old/notes.txt, we no longer need it.", "delete_file"),
                                              ("Fix the typo in app/main.py", "update_file")])
def test_apply_patch_creates_deletes_or_updates_as_asked(mock, prompt, kind):
    done = create(mock, input=prompt, tools=[{"type": "apply_patch"}])
    op = done.output[0].operation
    assert done.output[0].type == "apply_patch_call" and op.type == kind
    if kind == "create_file":
        assert op.path == "tasks.md" and all(line.startswith("+") for line in op.diff.splitlines())


def test_web_search_keeps_to_the_allowed_domains(mock):
    tool = {"type": "web_search", "filters": {"allowed_domains": ["developers.openai.com"]}}
    done = create(mock, input="Search the docs for the latest models", tools=[tool], include=["web_search_call.action.sources"])
    call = next(o for o in done.output if o.type == "web_search_call")
    urls = [s.url for s in call.action.sources] + [a.url for a in done.output[-1].content[0].annotations]
    assert urls and all(u.startswith("https://developers.openai.com/") for u in urls)


def test_a_stored_prompt_takes_reasoning_settings(mock):
    done = mock.client.responses.create(prompt={"id": "pmpt_0123456789abcdef"}, input="Plan a trip.", reasoning={"effort": "max"})
    assert done.status == "completed" and done.reasoning.effort == "max"
