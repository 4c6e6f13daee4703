"""A client sends the same tools with every request: what is read from them once must follow every change.

Chat and Responses read a tool list once per JSON text (mockapi/api/chat/request.py, responses/request.py)
and a strict schema's first violation once per schema (content/strict.first_violation). These tests change a
tool under the same name between requests and check that each answer follows the tools it was sent.
"""

from __future__ import annotations

import json

import openai
import pytest

from mockapi.content.understanding import enum_stated

ASK = [{"role": "user", "content": "Set the thermostat in Oslo to kelvin, please."}]


def _chat_unit_tool(units: list[str], strict: bool = False, extra: dict | None = None) -> dict:
    params = {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": units}, **(extra or {})},
              "required": ["city", "unit"], "additionalProperties": False}
    return {"type": "function", "function": {"name": "set_unit", "description": "Set a unit", "parameters": params, "strict": strict}}


def _chat_arguments(mock, tools: list[dict]) -> dict:
    r = mock.client.chat.completions.create(model="gpt-4o", messages=ASK, tools=tools, tool_choice="required")
    return json.loads(r.choices[0].message.tool_calls[0].function.arguments)


def test_chat_follows_a_tool_changed_under_the_same_name(mock):
    assert _chat_arguments(mock, [_chat_unit_tool(["celsius", "kelvin"])])["unit"] == "kelvin"
    assert _chat_arguments(mock, [_chat_unit_tool(["celsius", "fahrenheit"])])["unit"] in ("celsius", "fahrenheit")
    assert _chat_arguments(mock, [_chat_unit_tool(["celsius", "kelvin"])])["unit"] == "kelvin"


def test_chat_prompt_tokens_follow_the_tools_sent(mock):
    def prompt_tokens(tools: list[dict]) -> int:
        return mock.client.chat.completions.create(model="gpt-4o", messages=ASK, tools=tools).usage.prompt_tokens

    short, longer = [_chat_unit_tool(["c"])], [_chat_unit_tool(["celsius", "kelvin", "fahrenheit", "rankine"])]
    assert prompt_tokens(longer) > prompt_tokens(short)
    assert prompt_tokens(short) == prompt_tokens(json.loads(json.dumps(short)))  # the same tools, sent again


def test_chat_strict_verdict_follows_each_schema(mock):
    valid = [_chat_unit_tool(["celsius", "kelvin"], strict=True)]
    # Strict mode needs every property in `required`: `note` is not.
    invalid = [_chat_unit_tool(["celsius", "kelvin"], strict=True, extra={"note": {"type": "string"}})]
    assert _chat_arguments(mock, valid)["unit"] == "kelvin"
    with pytest.raises(openai.BadRequestError) as info:
        _chat_arguments(mock, invalid)
    assert info.value.body["param"] == "tools[0].function.parameters" and "note" in info.value.body["message"]
    with pytest.raises(openai.BadRequestError):  # refused again, not only the first time
        _chat_arguments(mock, invalid)
    assert _chat_arguments(mock, valid)["unit"] == "kelvin"


def _responses_unit_tool(units: list[str]) -> dict:
    return {"type": "function", "name": "set_unit", "description": "Set a unit", "strict": False,
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": units}},
                           "required": ["city", "unit"]}}


def test_responses_follow_a_tool_changed_under_the_same_name(mock):
    def arguments(units: list[str]) -> dict:
        r = mock.client.responses.create(model="gpt-4o", input=ASK[0]["content"], tools=[_responses_unit_tool(units)], tool_choice="required")
        [call] = [item for item in r.output if item.type == "function_call"]
        return json.loads(call.arguments)

    assert arguments(["celsius", "kelvin"])["unit"] == "kelvin"
    assert arguments(["celsius", "fahrenheit"])["unit"] in ("celsius", "fahrenheit")
    assert arguments(["celsius", "kelvin"])["unit"] == "kelvin"


@pytest.mark.parametrize(("options", "prompt", "expected"), [
    (["closed_won", "open"], "mark it closed won", "closed_won"),  # underscores read as spaces
    (["c++", "python"], "write it in c++ today", "c++"),  # regex characters are literal
    (["a.b", "axb"], "the axb option", "axb"),  # "." matches only a dot
    (["deploy", "test"], "we are deploying now", "deploy"),  # over three letters: a word's start counts
    (["ok", "no"], "okay then", None),  # three letters or fewer: only the whole word
    (["open", "closed"], "closed, not open", "closed"),  # the first named in the prompt wins
])
def test_enum_stated_reads_each_option_as_words(options, prompt, expected):
    assert enum_stated(options, prompt) == expected
    assert enum_stated(options, prompt) == expected  # the second read (compiled patterns kept) agrees
