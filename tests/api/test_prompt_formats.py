"""Replies laid out as the prompt asks: DSPy's output-field sections and JSON fields, a JSON Schema in the prompt.

The prompts are the ones DSPy 3.x's ChatAdapter and JSONAdapter write for ``dspy.ReAct`` and ``dspy.Predict``,
and the format instructions LangChain's ``PydanticOutputParser`` writes.
"""

from __future__ import annotations

import json
import re

REACT_SYSTEM = ("Your input fields are:\n1. `question` (str): \n2. `trajectory` (str):\nYour output fields are:\n"
                "1. `next_thought` (str): \n2. `next_tool_name` (Literal['add', 'finish']): \n3. `next_tool_args` (dict[str, Any]):")
REACT_SECTIONS = ("[[ ## question ## ]]\nWhat is 2+3?\n\n[[ ## trajectory ## ]]\n\n\nRespond with the corresponding output fields, "
                  "starting with the field `[[ ## next_thought ## ]]`, then `[[ ## next_tool_name ## ]]` (must be formatted as a "
                  "valid Python Literal['add', 'finish']), then `[[ ## next_tool_args ## ]]` (must be formatted as a valid Python "
                  "dict[str, Any]), and then ending with the marker for `[[ ## completed ## ]]`.")
REACT_JSON = ("[[ ## question ## ]]\nWhat is 2+3?\n\nRespond with a JSON object in the following order of fields: `next_thought`, "
              "then `next_tool_name` (must be formatted as a valid Python Literal['add', 'finish']), then `next_tool_args` (must be "
              "formatted as a valid Python dict[str, Any]).")
PYDANTIC_PARSER = ('The output should be formatted as a JSON instance that conforms to the JSON schema below.\n\nHere is the output '
                   'schema:\n```\n{"properties": {"name": {"title": "Name", "type": "string"}, "age": {"title": "Age", "type": '
                   '"integer"}}, "required": ["name", "age"]}\n```')
SECTION = re.compile(r"\[\[ ## (\w+) ## \]\]\n?(.*?)(?=\n\n\[\[ ## |\Z)", re.S)


def _sections(text: str) -> dict[str, str]:
    return {name: value.strip() for name, value in SECTION.findall(text)}


def test_dspy_sections_come_back_in_order_with_their_types(mock):
    messages = [{"role": "system", "content": REACT_SYSTEM}, {"role": "user", "content": REACT_SECTIONS}]
    text = mock.client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content
    found = _sections(text)
    assert list(found) == ["next_thought", "next_tool_name", "next_tool_args", "completed"]
    assert found["next_thought"] and found["next_tool_name"] in ("add", "finish")
    assert json.loads(found["next_tool_args"]) == {}


def test_dspy_json_fields_in_json_mode(mock):
    messages = [{"role": "system", "content": REACT_SYSTEM}, {"role": "user", "content": REACT_JSON}]
    reply = mock.client.chat.completions.create(model="gpt-4o-mini", messages=messages, response_format={"type": "json_object"})
    answer = json.loads(reply.choices[0].message.content)
    assert list(answer) == ["next_thought", "next_tool_name", "next_tool_args"]
    assert answer["next_tool_name"] in ("add", "finish") and answer["next_tool_args"] == {}


def test_an_int_field_is_a_number(mock):
    ask = "Respond with a JSON object in the following order of fields: `reasoning`, then `answer` (must be formatted as a valid Python int)."
    reply = mock.client.responses.create(model="gpt-4o-mini", input=f"What is 2+3? JSON please. {ask}", text={"format": {"type": "json_object"}})
    answer = json.loads(reply.output_text)
    assert isinstance(answer["reasoning"], str) and type(answer["answer"]) is int


def test_dspy_sections_over_responses(mock):
    reply = mock.client.responses.create(model="gpt-4o-mini", instructions=REACT_SYSTEM, input=REACT_SECTIONS)
    assert list(_sections(reply.output_text))[-1] == "completed"


def test_a_json_schema_in_the_prompt_is_filled_in_json_mode(mock):
    messages = [{"role": "system", "content": "Answer the user query. " + PYDANTIC_PARSER},
                {"role": "user", "content": "Alice is 30 years old. Return JSON."}]
    reply = mock.client.chat.completions.create(model="gpt-4o-mini", messages=messages, response_format={"type": "json_object"})
    assert json.loads(reply.choices[0].message.content) == {"name": "Alice", "age": 30}


def test_json_mode_without_named_fields_still_answers_an_object(mock):
    reply = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Reply in JSON."}],
                                                response_format={"type": "json_object"})
    assert list(json.loads(reply.choices[0].message.content)) == ["response"]


CODE_AGENT_SYSTEM = ("You are an expert assistant who can solve any task using code blobs. At each step, in the 'Thought:' "
                     "sequence, you should first explain your reasoning towards solving the task and the tools that you want to use.\n"
                     "Then in the Code sequence you should write the code in simple Python. The code sequence must be opened with "
                     "'<code>', and closed with '</code>'.\nIn the end you have to return a final answer using the `final_answer` tool.")
CODE_STEP = re.compile(r"\AThought: .+\n<code>\nfinal_answer\((\".*\")\)\n(?:</code>)?\Z", re.S)


def test_a_code_agent_gets_a_step_that_calls_final_answer(mock):
    # smolagents' CodeAgent prompt; it stops on the closing tag, as smolagents asks, and puts the tag back itself.
    messages = [{"role": "system", "content": CODE_AGENT_SYSTEM}, {"role": "user", "content": "New task:\nWhat is 2+3?"}]
    text = mock.client.chat.completions.create(model="gpt-4o-mini", messages=messages, stop=["</code>", "Observation:"]).choices[0].message.content
    assert json.loads(CODE_STEP.match(text).group(1))
    reply = mock.client.responses.create(model="gpt-4o-mini", instructions=CODE_AGENT_SYSTEM, input="What is 2+3?")
    assert CODE_STEP.match(reply.output_text).group(0).endswith("</code>")


def test_a_plan_says_it_is_ready(mock):
    # CrewAI's reasoning step asks for {plan, ready} again while ready is false, with no bound by default: a seeded
    # false (the same on every identical retry) looped for ever. Other flags stay seeded.
    schema = {"type": "object", "properties": {"plan": {"type": "string"}, "ready": {"type": "boolean"}, "is_done": {"type": "boolean"}},
              "required": ["plan", "ready", "is_done"], "additionalProperties": False}
    fmt = {"type": "json_schema", "json_schema": {"name": "plan", "schema": schema, "strict": True}}
    for n in range(6):
        reply = mock.client.chat.completions.create(model="gpt-4o-mini", response_format=fmt,
                                                    messages=[{"role": "user", "content": f"Refine plan {n}."}])
        answer = json.loads(reply.choices[0].message.content)
        assert answer["ready"] is True and answer["is_done"] is True
