"""Arrays and strings of the wrong length, and names breaking their pattern, get the real API's 400s.

The wordings and codes are the ones public client reports quote (sources beside ``wrong_length`` in
mockapi/core/errors.py, the pattern branch of ``to_api_error`` in mockapi/core/schema_errors.py, and in
contracts/overlay.yaml).
"""

from __future__ import annotations

import openai
import pytest

USER = [{"role": "user", "content": "What's the weather in Paris?"}]


def function(name: str) -> dict:
    """A chat function tool with ``name``."""
    return {"type": "function", "function": {"name": name, "parameters": {"type": "object", "properties": {}}}}


def refusal(call) -> dict:
    """The error body of the 400 ``call()`` gets."""
    with pytest.raises(openai.BadRequestError) as info:
        call()
    return info.value.body


def test_too_many_stop_sequences(mock):
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=USER, stop=list("abcde")))
    assert error == {"message": "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.",
                     "type": "invalid_request_error", "param": "stop", "code": "array_above_max_length"}


def test_no_messages(mock):
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=[]))
    assert error == {"message": "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                     "type": "invalid_request_error", "param": "messages", "code": "empty_array"}


def test_function_name_longer_than_64_characters(mock):
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=USER, tools=[function("a" * 74)]))
    assert error == {"message": "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, "
                                "but got a string with length 74 instead.",
                     "type": "invalid_request_error", "param": "tools[0].function.name", "code": "string_above_max_length"}


def test_function_name_of_64_characters_is_fine(mock):
    name = "get_weather_" + "x" * 52
    r = mock.client.chat.completions.create(model="gpt-4o", messages=USER, tools=[function(name)], tool_choice="required")
    assert r.choices[0].message.tool_calls[0].function.name == name


@pytest.mark.parametrize("name", ["get weather", "weather.get", "mcp/get_weather", ""])
def test_function_name_outside_the_pattern(mock, name):
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=USER, tools=[function("ok"), function(name)]))
    assert error == {"message": "Invalid 'tools[1].function.name': string does not match pattern. Expected a string that "
                                "matches the pattern '^[a-zA-Z0-9_-]+$'.",
                     "type": "invalid_request_error", "param": "tools[1].function.name", "code": "invalid_value"}


def test_tool_call_name_in_an_assistant_message_outside_the_pattern(mock):
    messages = [*USER, {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "weather.get", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=messages))
    assert error["param"] == "messages[1].tool_calls[0].function.name" and error["code"] == "invalid_value"
    assert error["message"].startswith("Invalid 'messages[1].tool_calls[0].function.name': string does not match pattern.")


def test_responses_function_name_longer_than_64_characters(mock):
    tool = {"type": "function", "name": "b" * 65, "parameters": {"type": "object", "properties": {}}}
    error = refusal(lambda: mock.client.responses.create(model="gpt-4o", input="hi", tools=[tool]))
    assert error == {"message": "Invalid 'tools[0].name': string too long. Expected a string with maximum length 64, "
                                "but got a string with length 65 instead.",
                     "type": "invalid_request_error", "param": "tools[0].name", "code": "string_above_max_length"}


@pytest.mark.parametrize("name", ["John Doe", "agent.1", ""])
def test_message_name_outside_the_pattern(mock, name):
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi", "name": name}]
    error = refusal(lambda: mock.client.chat.completions.create(model="gpt-4o", messages=messages))
    assert error == {"message": "Invalid 'messages[1].name': string does not match pattern. Expected a string that "
                                "matches the pattern '^[a-zA-Z0-9_-]+$'.",
                     "type": "invalid_request_error", "param": "messages[1].name", "code": "invalid_value"}


def test_message_name_in_the_pattern_is_fine(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi", "name": "John_Doe-2"}])
    assert r.choices[0].message.content


@pytest.mark.parametrize("given", ["", [""], ["ok", ""], []])
def test_bad_embedding_input_gets_the_older_validators_words(mock, given):
    error = refusal(lambda: mock.client.embeddings.create(model="text-embedding-3-small", input=given))
    assert error == {"message": "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
                     "type": "invalid_request_error", "param": None, "code": None}
