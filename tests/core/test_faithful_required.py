"""Faithful means faithful: the contract requires what the real server requires, not every SDK ``Required``.

Each accepted shape is one the real API takes (the sources are beside each entry of
``x-server-defaults`` in contracts/overlay.yaml); the refusals are the server's own 400s.
"""

from __future__ import annotations

import json

import openai
import pytest
import yaml
from test_responses import create, error_of

from mockapi.contract import load_contract
from mockapi.contractgen import OVERLAY_PATH
from mockapi.core.engine import VALIDATION_HEADER

PARAMS = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
WEATHER = {"type": "function", "name": "get_weather", "description": "Weather for a city", "parameters": PARAMS}
SCHEMA_LEVEL = {VALIDATION_HEADER: "schema"}


def listed_items(mock, response_id: str) -> list[dict]:
    """The stored input items of a response, checked against the contract."""
    page = mock.client.responses.input_items.list(response_id, order="asc")
    mock.validate("listInputItems", page)
    return [item.model_dump(mode="json", exclude_none=True) for item in page.data]


# -- tools ------------------------------------------------------------------------------------
def test_function_tool_without_strict_is_accepted_and_called(mock):
    r = create(mock, input="What's the weather in Paris?", tools=[WEATHER], tool_choice="required")
    assert r.output[0].type == "function_call" and r.output[0].name == "get_weather"
    assert "city" in json.loads(r.output[0].arguments)


def test_function_tool_without_parameters_or_description_is_accepted(mock):
    r = create(mock, input="Ping the server.", tools=[{"type": "function", "name": "ping"}], tool_choice="required")
    assert r.output[0].type == "function_call" and r.output[0].name == "ping"


def test_function_tool_without_name_is_the_real_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", tools=[{"type": "function", "parameters": PARAMS}])
    err = error_of(info)
    assert err["code"] == "missing_required_parameter" and err["param"] == "tools[0].name"
    assert err["message"] == "Missing required parameter: 'tools[0].name'."


# -- input items ------------------------------------------------------------------------------
def test_input_image_without_detail_is_listed_with_auto(mock):
    image = {"type": "input_image", "image_url": "https://example.com/cat.png"}
    r = create(mock, input=[{"role": "user", "content": [{"type": "input_text", "text": "What is this?"}, image]}])
    assert r.status == "completed"
    [item] = listed_items(mock, r.id)
    assert item["content"][1]["detail"] == "auto"


@pytest.mark.parametrize("typed", [False, True], ids=["easy", "typed"])
def test_assistant_message_without_id_status_or_annotations(mock, typed):
    assistant = {"role": "assistant", "content": [{"type": "output_text", "text": "Hello! How can I help?"}]}
    if typed:
        assistant["type"] = "message"
    history = [{"role": "user", "content": "Hi"}, assistant, {"role": "user", "content": "Tell me a joke."}]
    r = create(mock, input=history)
    items = listed_items(mock, r.id)
    assert [i["role"] for i in items] == ["user", "assistant", "user"]
    replayed = items[1]
    assert replayed["id"].startswith("msg_") and replayed["status"] == "completed"
    assert replayed["content"][0]["annotations"] == []


def test_easy_message_without_type_is_a_message(mock):
    r = create(mock, input=[{"role": "user", "content": "hi"}])
    assert listed_items(mock, r.id)[0]["type"] == "message"


@pytest.mark.parametrize("dump", [False, True], ids=["objects", "model_dump"])
def test_conversation_state_loop_replays_output(mock, dump):
    """The conversation-state guide's loop: ``input += response.output``, then create again."""
    history: list = [{"role": "user", "content": "What's the weather in Paris?"}]
    r = create(mock, input=history, tools=[WEATHER])
    history += [o.model_dump() for o in r.output] if dump else r.output
    call = next(o for o in r.output if o.type == "function_call")
    history.append({"type": "function_call_output", "call_id": call.call_id, "output": "sunny, 21C"})
    r = create(mock, input=history, tools=[WEATHER])
    assert r.output[-1].type == "message"
    history += [o.model_dump() for o in r.output] if dump else r.output
    history.append({"role": "user", "content": "And tomorrow?"})
    r = create(mock, input=history, tools=[WEATHER])
    assert r.status == "completed"
    sent = [i.get("type", "message") if isinstance(i, dict) else i.type for i in history]
    assert "function_call" in sent and "function_call_output" in sent
    assert sent == [i["type"] for i in listed_items(mock, r.id)]


@pytest.mark.parametrize("dump", [False, True], ids=["objects", "model_dump"])
def test_web_search_call_replayed(mock, dump):
    tools = [{"type": "web_search"}]
    r = create(mock, input="What are the latest AI news?", tools=tools)
    assert r.output[0].type == "web_search_call"
    history = [{"role": "user", "content": "What are the latest AI news?"}]
    history += [o.model_dump() for o in r.output] if dump else r.output
    history.append({"role": "user", "content": "Summarise that in one line."})
    assert create(mock, input=history, tools=tools).status == "completed"


# -- stateless reasoning ------------------------------------------------------------------------
@pytest.mark.parametrize("dump", [False, True], ids=["objects", "model_dump"])
def test_stateless_reasoning_replays_encrypted_items(mock, dump):
    """store=false + include=["reasoning.encrypted_content"], then the output goes back as input."""
    stateless = {"model": "o4-mini", "store": False, "include": ["reasoning.encrypted_content"]}
    history: list = [{"role": "user", "content": "Plan a three-step proof."}]
    r = create(mock, input=history, **stateless)
    reasoning = r.output[0]
    assert reasoning.type == "reasoning" and reasoning.encrypted_content
    history += [o.model_dump() for o in r.output] if dump else r.output
    history.append({"role": "user", "content": "Now shorter."})
    assert create(mock, input=history, **stateless).status == "completed"


@pytest.mark.parametrize("keep_id", [True, False], ids=["with_id", "without_id"])
def test_reasoning_item_written_by_hand(mock, keep_id):
    r = create(mock, model="o4-mini", input="Plan a trip.", store=False, include=["reasoning.encrypted_content"])
    reasoning = r.output[0]
    item = {"type": "reasoning", "summary": [], "encrypted_content": reasoning.encrypted_content}
    if keep_id:
        item["id"] = reasoning.id
    history = [{"role": "user", "content": "Plan a trip."}, item, {"role": "user", "content": "Shorter."}]
    assert create(mock, model="o4-mini", input=history, store=False).status == "completed"


def test_reasoning_item_without_summary_is_the_real_400(mock):
    """The server requires ``summary`` on a reasoning input item (lidge-jun/opencodex PR #4673)."""
    item = {"type": "reasoning", "id": "rs_abc", "encrypted_content": "gAAAA"}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="o4-mini", input=[{"role": "user", "content": "hi"}, item], store=False)
    err = error_of(info)
    assert err["code"] == "missing_required_parameter" and err["param"] == "input[1].summary"


# -- what the server does require ---------------------------------------------------------------
@pytest.mark.parametrize(("path", "body", "param"), [
    ("/responses", {"input": "hi"}, "model"),
    ("/responses", {"model": "gpt-4o", "input": [{"role": "user"}]}, "input[0].content"),
    ("/responses", {"model": "gpt-4o", "input": [{"type": "function_call", "name": "f", "arguments": "{}"}]}, "input[0].call_id"),
    ("/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}, "model"),
    ("/chat/completions", {"model": "gpt-4o"}, "messages"),
    ("/chat/completions", {"model": "gpt-4o", "messages": [{"content": "hi"}]}, "messages[0].role"),
    ("/chat/completions", {"model": "gpt-4o", "messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
    ("/chat/completions", {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
                           "tools": [{"type": "function", "function": {"parameters": PARAMS}}]}, "tools[0].function.name"),
])
def test_server_required_fields_give_the_real_400(mock, path, body, param):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.post(path, body=body, cast_to=object)
    err = error_of(info)
    assert err["code"] == "missing_required_parameter" and err["param"] == param
    assert err["message"] == f"Missing required parameter: '{param}'."


def test_unknown_top_level_argument_is_still_refused(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.post("/responses", body={"model": "gpt-4o", "input": "hi", "temprature": 1}, cast_to=object)
    assert error_of(info) == {"message": "Unrecognized request argument supplied: temprature", "type": "invalid_request_error",
                              "param": None, "code": None}


def test_wrong_types_and_values_are_still_refused(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", tools=[{**WEATHER, "strict": "yes"}])
    assert error_of(info)["param"] == "tools[0].strict" and error_of(info)["code"] == "invalid_type"
    image = {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "huge"}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input=[{"role": "user", "content": [image]}])
    assert error_of(info)["param"] == "input[0].content[0].detail"


# -- level schema follows the SDK's types --------------------------------------------------------
def test_level_schema_still_enforces_the_sdks_required(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", tools=[WEATHER], extra_headers=SCHEMA_LEVEL)
    assert error_of(info)["code"] == "missing_required_parameter" and error_of(info)["param"] == "tools[0].strict"
    r = mock.client.responses.create(model="gpt-4o", input="hi", tools=[{**WEATHER, "strict": False}], extra_headers=SCHEMA_LEVEL)
    mock.validate("createResponse", r)


# -- the contract itself -------------------------------------------------------------------------
def test_every_server_default_cites_its_source():
    entries = yaml.safe_load(OVERLAY_PATH.read_text())["x-server-defaults"]
    assert entries
    for name, entry in entries.items():
        assert entry.get("fields"), name
        assert len(str(entry.get("source", "")).strip()) > 20, f"{name} has no source"


def test_required_is_a_subset_of_the_sdks_and_relaxations_are_recorded():
    schemas = load_contract().document["components"]["schemas"]
    entries = yaml.safe_load(OVERLAY_PATH.read_text())["x-server-defaults"]
    relaxed: set[str] = set()
    for component in schemas.values():
        for name, node in [(component.get("title"), component), *component.get("$defs", {}).items()]:
            if "x-sdk-required" in node:
                assert set(node.get("required", [])) < set(node["x-sdk-required"])
                assert set(node["x-sdk-required"]) - set(node.get("required", [])) <= set(entries[name]["fields"])
                relaxed.add(name)
    assert relaxed == set(entries)


def test_null_fields_inside_items_are_read_as_absent(mock):
    """What ``model_dump()`` sends for unset fields: the server fills in its defaults."""
    assistant = {"type": "message", "role": "assistant", "id": None, "status": None,
                 "content": [{"type": "output_text", "text": "Hello!", "annotations": None, "logprobs": None}]}
    r = create(mock, input=[{"role": "user", "content": "Hi"}, assistant, {"role": "user", "content": "Again."}])
    replayed = listed_items(mock, r.id)[1]
    assert replayed["id"].startswith("msg_") and replayed["status"] == "completed"
    assert replayed["content"][0]["annotations"] == []
    with pytest.raises(openai.BadRequestError) as info:  # the SDK's types take no null there
        mock.client.responses.create(model="gpt-4o", input=[assistant], extra_headers=SCHEMA_LEVEL)
    assert error_of(info)["param"].startswith("input[0]"), error_of(info)


@pytest.mark.parametrize(("parameters", "strict"), [
    (PARAMS, True),  # normalisable: the server makes it strict
    ({"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}, "tags": {"oneOf": [{"type": "string"}]}}}, False),
    (None, True),
], ids=["normalisable", "falls_back", "no_parameters"])
def test_omitted_strict_is_the_servers_choice(mock, parameters, strict):
    """Function-calling guide: an omitted ``strict`` is normalised into strict mode when possible, else false."""
    tool = {"type": "function", "name": "f"}
    if parameters is not None:
        tool["parameters"] = parameters
    r = create(mock, input="hi", tools=[tool])
    assert r.tools[0].strict is strict
    assert create(mock, input="hi", tools=[{**tool, "strict": False}]).tools[0].strict is False


@pytest.mark.parametrize(("item", "param", "code"), [
    ({"role": "robot", "content": "x"}, "input[0].role", "invalid_value"),
    ({"role": "assistant", "content": [{"type": "output_text"}]}, "input[0].content[0].text", "missing_required_parameter"),
    ({"role": "user", "content": [{"type": "input_text"}]}, "input[0].content[0].text", "missing_required_parameter"),
    ({"role": "user", "content": [{"type": "input_image", "image_url": "https://example.com/a.png", "detail": "huge"}]},
     "input[0].content[0].detail", "invalid_value"),
], ids=["role", "output_text", "input_text", "detail"])
def test_a_refused_item_names_the_field_that_is_wrong(mock, item, param, code):
    """An input item is told apart by its role and type; the 400 names what is wrong in the item meant."""
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input=[item])
    assert (error_of(info)["param"], error_of(info)["code"]) == (param, code)


def test_conversation_items_and_token_counts_take_the_same_shapes(mock):
    """The Conversations API and input-token counting read input items the way Responses does."""
    assistant = {"role": "assistant", "content": [{"type": "output_text", "text": "Hello!"}]}
    image = {"role": "user", "content": [{"type": "input_image", "image_url": "https://example.com/cat.png"}]}
    conv = mock.client.conversations.create()
    added = mock.client.conversations.items.create(conv.id, items=[assistant, image])
    mock.validate("createConversationItems", added)
    assert [i.role for i in added.data] == ["assistant", "user"]
    assert added.data[0].content[0].annotations == [] and added.data[1].content[0].detail == "auto"
    counted = mock.client.responses.input_tokens.count(model="gpt-4o", input=[assistant, image], tools=[WEATHER])
    assert counted.input_tokens > 0
