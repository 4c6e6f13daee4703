"""Multi-agent tool patterns: handoffs and agents as tools, on Chat Completions and Responses, in both modes.

Handoffs: the follow-up turn of a tool loop answers in text; but when none of the tools just
answered is offered any more (the Agents SDK's handoff: the next request comes from another agent
with its own tools), the model calls the new agent's tool. Agents as tools: a tool whose one string
property is named like a request (``input``, ``question``…) is passed the user's request.
"""

from __future__ import annotations

import json

ASK = "What's the weather in Paris right now?"
TRANSFER = {"name": "transfer_to_weather_agent", "description": "Handoff to the Weather agent to handle the request.",
            "parameters": {"type": "object", "properties": {}, "additionalProperties": False}}
WEATHER = {"name": "get_weather", "description": "Get the current weather for a city.",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
TRANSFERRED = '{"assistant": "Weather"}'


def chat_tool(spec: dict) -> dict:
    """``spec`` as a Chat Completions function tool."""
    return {"type": "function", "function": spec}


def responses_tool(spec: dict) -> dict:
    """``spec`` as a Responses function tool."""
    return {"type": "function", **spec}


def test_chat_new_agent_calls_its_tool_after_a_handoff(mock):
    triage = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ASK}],
                                                 tools=[chat_tool(TRANSFER)])
    [handoff] = triage.choices[0].message.tool_calls
    assert handoff.function.name == "transfer_to_weather_agent"
    messages = [{"role": "user", "content": ASK}, triage.choices[0].message,
                {"role": "tool", "tool_call_id": handoff.id, "content": TRANSFERRED}]
    weather = mock.client.chat.completions.create(model="gpt-4o", messages=messages, tools=[chat_tool(WEATHER)])
    [call] = weather.choices[0].message.tool_calls
    assert weather.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "get_weather" and json.loads(call.function.arguments) == {"city": "Paris"}


def test_chat_follow_up_still_answers_while_the_answered_tool_is_offered(mock):
    triage = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ASK}],
                                                 tools=[chat_tool(TRANSFER)])
    [handoff] = triage.choices[0].message.tool_calls
    messages = [{"role": "user", "content": ASK}, triage.choices[0].message,
                {"role": "tool", "tool_call_id": handoff.id, "content": TRANSFERRED}]
    answer = mock.client.chat.completions.create(model="gpt-4o", messages=messages,
                                                 tools=[chat_tool(TRANSFER), chat_tool(WEATHER)])
    assert answer.choices[0].finish_reason == "stop" and answer.choices[0].message.content


def test_responses_new_agent_calls_its_tool_after_a_handoff(mock):
    triage = mock.client.responses.create(model="gpt-5", input=ASK, tools=[responses_tool(TRANSFER)])
    [handoff] = [i for i in triage.output if i.type == "function_call"]
    assert handoff.name == "transfer_to_weather_agent"
    replay = [{"role": "user", "content": ASK}, *[i.model_dump(exclude_none=True) for i in triage.output],
              {"type": "function_call_output", "call_id": handoff.call_id, "output": TRANSFERRED}]
    weather = mock.client.responses.create(model="gpt-5", input=replay, tools=[responses_tool(WEATHER)])
    calls = [i for i in weather.output if i.type == "function_call"]
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("get_weather", {"city": "Paris"})]


def test_responses_handoff_through_previous_response_id(mock):
    triage = mock.client.responses.create(model="gpt-4o", input=ASK, tools=[responses_tool(TRANSFER)])
    [handoff] = triage.output
    weather = mock.client.responses.create(
        model="gpt-4o", previous_response_id=triage.id, tools=[responses_tool(WEATHER)],
        input=[{"type": "function_call_output", "call_id": handoff.call_id, "output": TRANSFERRED}])
    assert [(i.type, i.name) for i in weather.output] == [("function_call", "get_weather")]
    done = mock.client.responses.create(
        model="gpt-4o", previous_response_id=weather.id, tools=[responses_tool(WEATHER)],
        input=[{"type": "function_call_output", "call_id": weather.output[0].call_id, "output": "21C and sunny"}])
    assert done.output[0].type == "message" and "21C and sunny" in done.output_text


EXPERT = {"name": "weather_expert", "description": "Ask the weather expert about the weather in a city.",
          "parameters": {"type": "object", "properties": {"input": {"type": "string"}}, "required": ["input"],
                         "additionalProperties": False}}


def test_chat_agent_as_tool_is_passed_the_request(mock):
    reply = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ASK}],
                                                tools=[chat_tool(EXPERT)])
    [call] = reply.choices[0].message.tool_calls
    assert call.function.name == "weather_expert" and json.loads(call.function.arguments) == {"input": ASK}


def test_responses_agent_as_tool_is_passed_the_request(mock):
    reply = mock.client.responses.create(model="gpt-4o", input=ASK, tools=[responses_tool(EXPERT)])
    assert [(i.name, json.loads(i.arguments)) for i in reply.output] == [("weather_expert", {"input": ASK})]
