"""Custom (free-form and grammar) tools and ``allowed_tools``, on Chat and Responses, through the SDK."""

from __future__ import annotations

import random
import re

from mockapi.content.custom_input import lark_sample, regex_sample

CODE_EXEC = {"type": "custom", "custom": {"name": "code_exec", "description": "Executes python code", "format": {"type": "text"}}}
DATE_REGEX = r"\d{4}-\d{2}-\d{2}"
DATE_TOOL = {"type": "custom", "custom": {"name": "pick_date", "description": "Pick a date",
                                          "format": {"type": "grammar", "grammar": {"syntax": "regex", "definition": DATE_REGEX}}}}
SQL_LARK = 'start: "SELECT " column " FROM " table ";"\ncolumn: "name" | "id"\ntable: /[a-z]+/\n'
SQL_TOOL = {"type": "custom", "custom": {"name": "run_sql", "description": "Run a SQL query",
                                         "format": {"type": "grammar", "grammar": {"syntax": "lark", "definition": SQL_LARK}}}}
WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
                                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}


def _ask(mock, prompt, tools, **kwargs):
    return mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}], tools=tools, **kwargs)


def test_chat_custom_text_tool_call(mock):
    reply = _ask(mock, "Use code exec to run ```python\nprint(2 + 2)\n```", [CODE_EXEC, WEATHER])
    call = reply.choices[0].message.tool_calls[0]
    assert call.type == "custom" and call.id.startswith("call_")
    assert call.custom.name == "code_exec" and call.custom.input == "print(2 + 2)"
    assert reply.choices[0].finish_reason == "tool_calls"
    assert reply.usage.completion_tokens > 0


def test_chat_custom_grammar_inputs_match(mock):
    dated = _ask(mock, "Pick a date please", [DATE_TOOL], tool_choice={"type": "custom", "custom": {"name": "pick_date"}})
    assert re.fullmatch(DATE_REGEX, dated.choices[0].message.tool_calls[0].custom.input)
    sql = _ask(mock, "Run a SQL query", [SQL_TOOL], tool_choice="required")
    assert re.fullmatch(r"SELECT name FROM [a-z]+;", sql.choices[0].message.tool_calls[0].custom.input)


def test_chat_allowed_tools_restricts_the_choice(mock):
    allowed = {"type": "allowed_tools", "allowed_tools": {"mode": "required", "tools": [{"type": "function", "function": {"name": "get_weather"}}]}}
    reply = _ask(mock, "Use code exec for Paris", [CODE_EXEC, WEATHER], tool_choice=allowed)
    calls = reply.choices[0].message.tool_calls
    assert [c.function.name for c in calls] == ["get_weather"]
    auto = {"type": "allowed_tools", "allowed_tools": {"mode": "auto", "tools": [{"type": "function", "function": {"name": "get_weather"}}]}}
    reply = _ask(mock, "Use code exec to say hi", [CODE_EXEC, WEATHER], tool_choice=auto)
    assert reply.choices[0].message.tool_calls is None and reply.choices[0].message.content


def test_chat_custom_tool_call_streams_and_answers_next_turn(mock):
    stream = _ask(mock, "Pick a date please", [DATE_TOOL], tool_choice="required", stream=True)
    pieces, head = [], None
    for chunk in stream:
        for delta_call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            if delta_call.id:
                head = delta_call
            # The SDK's ChoiceDeltaToolCall type has no `custom` field yet: it arrives as an extra dict.
            pieces.append(delta_call.custom["input"])
    assert head.type == "custom" and head.custom["name"] == "pick_date"
    assert re.fullmatch(DATE_REGEX, "".join(pieces))
    follow = mock.client.chat.completions.create(model="gpt-4o", tools=[DATE_TOOL], messages=[
        {"role": "user", "content": "Pick a date please"},
        {"role": "assistant", "tool_calls": [{"id": head.id, "type": "custom", "custom": {"name": "pick_date", "input": "".join(pieces)}}]},
        {"role": "tool", "tool_call_id": head.id, "content": "booked"}])
    assert follow.choices[0].message.content


RESPONSES_SQL = {"type": "custom", "name": "run_sql", "description": "Run a SQL query",
                 "format": {"type": "grammar", "syntax": "lark", "definition": SQL_LARK}}


def test_responses_custom_tool_call_and_output_next_turn(mock):
    first = mock.client.responses.create(model="gpt-5", input="Run a SQL query", tools=[RESPONSES_SQL])
    call = next(i for i in first.output if i.type == "custom_tool_call")
    assert call.name == "run_sql" and re.fullmatch(r"SELECT name FROM [a-z]+;", call.input)
    second = mock.client.responses.create(model="gpt-5", previous_response_id=first.id, tools=[RESPONSES_SQL],
                                          input=[{"type": "custom_tool_call_output", "call_id": call.call_id, "output": "3 rows"}])
    assert second.output_text


def test_responses_custom_tool_streams_input_events(mock):
    events = list(mock.client.responses.create(model="gpt-5", input="Run a SQL query", tools=[RESPONSES_SQL], stream=True))
    deltas = [e.delta for e in events if e.type == "response.custom_tool_call_input.delta"]
    done = next(e for e in events if e.type == "response.custom_tool_call_input.done")
    assert "".join(deltas) == done.input and done.input.startswith("SELECT ")


def test_responses_allowed_tools(mock):
    weather = {"type": "function", "name": "get_weather", "description": "Weather for a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": False}
    reply = mock.client.responses.create(model="gpt-5", input="Run a SQL query", tools=[RESPONSES_SQL, weather],
                                         tool_choice={"type": "allowed_tools", "mode": "required", "tools": [{"type": "function", "name": "get_weather"}]})
    assert {i.name for i in reply.output if i.type in ("function_call", "custom_tool_call")} == {"get_weather"}


def test_regex_and_lark_samplers_match():
    r = random.Random(3)
    for pattern in [r"(yes|no|maybe)", r"[A-Z][a-z]+ [0-9]{1,3}", r"[^abc]+x\w*\s?\.", r"(?:foo|bar)+baz", r"^\d+(\.\d{2})?$"]:
        assert re.fullmatch(pattern, regex_sample(pattern, r)), pattern
    calc = 'start: expr\nexpr: term (("+" | "-") term)*\nterm: NUMBER\n%import common.NUMBER\n'
    assert re.fullmatch(r"\d+", lark_sample(calc, r))
    left_recursive = 'start: expr\nexpr: expr "+" term | term\nterm: "(" expr ")" | NUMBER\n%import common.NUMBER\n'
    assert re.fullmatch(r"[\d()+]+", lark_sample(left_recursive, r))
