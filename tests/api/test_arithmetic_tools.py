"""Arithmetic tools: a prompt that writes out a sum calls the tool that works it out, with that sum's operands.

LangChain's docs and tests build agents on tools named ``multiply`` and ``add`` ("whats 5 * 4"); a model
calls them though no word of the prompt names them. Chat Completions and Responses, in both modes.
"""

from __future__ import annotations

import json

import pytest

NUMBERS = {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}, "required": ["x", "y"],
           "additionalProperties": False}
MULTIPLY = {"name": "multiply", "description": "return x * y", "parameters": NUMBERS, "strict": True}
ADD = {"name": "add", "description": "Add two integers.", "parameters": NUMBERS}
CART = {"name": "add_to_cart", "description": "Add an item to the shopping cart.",
        "parameters": {"type": "object", "properties": {"item": {"type": "string"}, "quantity": {"type": "integer"}}}}
FOO = {"type": "object", "properties": {"response": {"type": "string"}}, "required": ["response"], "additionalProperties": False}


def _chat_calls(mock, prompt: str, tools: list[dict], **extra) -> list[tuple[str, dict]]:
    answer = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}],
                                                 tools=[{"type": "function", "function": t} for t in tools], **extra)
    return [(c.function.name, json.loads(c.function.arguments)) for c in answer.choices[0].message.tool_calls or []]


def _responses_calls(mock, prompt: str, tools: list[dict], **extra) -> list[tuple[str, dict]]:
    answer = mock.client.responses.create(model="gpt-4o-mini", input=prompt, tools=[{"type": "function", **t} for t in tools],
                                          **extra)
    return [(item.name, json.loads(item.arguments)) for item in answer.output if item.type == "function_call"]


@pytest.mark.parametrize("calls", [_chat_calls, _responses_calls], ids=["chat", "responses"])
def test_an_expression_calls_the_tool_that_works_it_out(mock, calls):
    assert calls(mock, "whats 5 * 4", [MULTIPLY]) == [("multiply", {"x": 5, "y": 4})]
    assert calls(mock, "what is 2 plus 2", [MULTIPLY, ADD]) == [("add", {"x": 2, "y": 2})]


@pytest.mark.parametrize("calls", [_chat_calls, _responses_calls], ids=["chat", "responses"])
def test_each_expression_gets_its_own_call_with_its_own_operands(mock, calls):
    assert calls(mock, "What is 3 * 12? Also, what is 11 + 49?", [ADD, MULTIPLY]) == [
        ("multiply", {"x": 3, "y": 12}), ("add", {"x": 11, "y": 49})]


@pytest.mark.parametrize("calls", [_chat_calls, _responses_calls], ids=["chat", "responses"])
def test_no_expression_or_no_arithmetic_tool_calls_nothing(mock, calls):
    assert calls(mock, "Tell me about the history of mathematics.", [MULTIPLY, ADD]) == []
    assert calls(mock, "what is 2 + 2", [CART]) == []  # add_to_cart adds to a cart, not numbers
    assert calls(mock, "The meeting runs 5-10 minutes on 2024-05-01.", [ADD, MULTIPLY]) == []  # a range and a date


def test_tools_and_a_response_format_still_call_the_tool_the_prompt_needs(mock):
    """langchain-openai binds tools and a strict response format together: the sum calls the tool first."""
    fmt = {"format": {"type": "json_schema", "name": "Foo", "schema": FOO, "strict": True}}
    assert _responses_calls(mock, "whats 5 * 4", [MULTIPLY], text=fmt) == [("multiply", {"x": 5, "y": 4})]
    chat_format = {"type": "json_schema", "json_schema": {"name": "Foo", "schema": FOO, "strict": True}}
    assert _chat_calls(mock, "whats 5 * 4", [MULTIPLY], response_format=chat_format) == [("multiply", {"x": 5, "y": 4})]
    answer = mock.client.responses.create(model="gpt-4o-mini", input="how are ya", text=fmt,
                                          tools=[{"type": "function", **MULTIPLY}])
    assert set(json.loads(answer.output_text)) == {"response"}  # nothing to work out: the format's answer
