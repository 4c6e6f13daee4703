"""Structured answers that take what the prompt lists, counts and asks to be said, through the real SDK.

The prompts and models are instructor 1.17.0's OpenAI integration tests (tests/llm/test_openai): ``Iterable[User]``
segments "Jason is 20, Sarah is 30" into one item per person; "Generate three fake profiles" gives three;
"Extract jason is 25 years old" names jason; "Say the word `love`." says love. Each runs on a Chat Completions tool,
a Chat json_schema response format, a Responses function tool and a Responses json_schema text format.
"""

from __future__ import annotations

import json

import pytest

USER = {"title": "User", "type": "object", "properties": {"name": {"title": "Name", "type": "string"},
                                                          "age": {"title": "Age", "type": "integer"}},
        "required": ["name", "age"]}
PROFILE = {"title": "UserProfile", "type": "object", "required": ["name", "age", "bio"],
           "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "bio": {"type": "string"}}}
CONTACT = {"title": "Contact", "type": "object", "required": ["name", "age", "email"],
           "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "email": {"type": "string"}}}
MESSAGE = {"title": "Message", "type": "object", "properties": {"content": {"type": "string"}}, "required": ["content"]}


def iterable(item: dict, **array) -> dict:
    """instructor's ``Iterable[Item]``: its items under ``tasks``, the item schema in ``$defs``."""
    name = item["title"]
    return {"$defs": {name: item}, "title": f"Iterable{name}", "type": "object", "required": ["tasks"],
            "description": f"Correct segmentation of `{name}` tasks",
            "properties": {"tasks": {"type": "array", "title": "Tasks", "items": {"$ref": f"#/$defs/{name}"},
                                     "description": f"Correctly segmented list of `{name}` tasks", **array}}}


def chat_tool(mock, prompt: str, schema: dict) -> dict:
    """The arguments of the forced tool call a Chat Completion makes."""
    done = mock.client.chat.completions.create(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": prompt}],
        tools=[{"type": "function", "function": {"name": "extract", "parameters": schema}}],
        tool_choice={"type": "function", "function": {"name": "extract"}})
    return json.loads(done.choices[0].message.tool_calls[0].function.arguments)


def chat_format(mock, prompt: str, schema: dict) -> dict:
    """The JSON a Chat Completion answers under a json_schema response format."""
    done = mock.client.chat.completions.create(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": prompt}],
        response_format={"type": "json_schema", "json_schema": {"name": "extract", "schema": schema}})
    return json.loads(done.choices[0].message.content)


def responses_tool(mock, prompt: str, schema: dict) -> dict:
    """The arguments of the forced function call a response makes."""
    done = mock.client.responses.create(model="gpt-4.1-nano", input=prompt,
                                        tools=[{"type": "function", "name": "extract", "parameters": schema}],
                                        tool_choice={"type": "function", "name": "extract"})
    return json.loads(next(o for o in done.output if o.type == "function_call").arguments)


def responses_format(mock, prompt: str, schema: dict) -> dict:
    """The JSON a response answers under a json_schema text format."""
    done = mock.client.responses.create(model="gpt-4.1-nano", input=prompt,
                                        text={"format": {"type": "json_schema", "name": "extract", "schema": schema}})
    return json.loads(done.output_text)


WAYS = {"chat_tool": chat_tool, "chat_format": chat_format, "responses_tool": responses_tool,
        "responses_format": responses_format}
SEGMENT = "Consider the data below:\nJason is 20, Sarah is 30Correctly segment it into entititesMake sure the JSON is correct"


@pytest.mark.parametrize("way", WAYS)
def test_one_item_per_listed_person_with_their_own_values(mock, way):
    assert WAYS[way](mock, SEGMENT, iterable(USER))["tasks"] == [{"name": "Jason", "age": 20}, {"name": "Sarah", "age": 30}]


@pytest.mark.parametrize("way", WAYS)
def test_each_person_takes_the_values_stated_next_to_them(mock, way):
    prompt = "Alice is 31 and her email is alice@example.com; Bob is 42, bob@example.org."
    assert WAYS[way](mock, prompt, iterable(CONTACT))["tasks"] == [{"name": "Alice", "age": 31, "email": "alice@example.com"},
                                                                   {"name": "Bob", "age": 42, "email": "bob@example.org"}]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("prompt", "count"), [("Generate three fake profiles", 3), ("generate 5 fake user profiles", 5),
                                               ("Make a couple of profiles", 2), ("Invent a few users", 3),
                                               ("Give me a dozen example profiles", 12)])
def test_an_array_gets_the_count_asked_for(mock, way, prompt, count):
    tasks = WAYS[way](mock, prompt, iterable(PROFILE))["tasks"]
    assert len(tasks) == count
    assert all(set(task) == {"name", "age", "bio"} for task in tasks)


@pytest.mark.parametrize("way", ["chat_format", "responses_tool"])
def test_a_count_stays_within_max_items_and_the_cap(mock, way):
    assert len(WAYS[way](mock, "Give me a dozen profiles", iterable(PROFILE, maxItems=4))["tasks"]) == 4
    assert len(WAYS[way](mock, "Generate 5000 profiles", iterable(PROFILE))["tasks"]) == 100


@pytest.mark.parametrize("way", WAYS)
def test_names_come_first_then_the_count_is_made_up(mock, way):
    tasks = WAYS[way](mock, "Generate three users: Alice is 30, Bob is 40", iterable(USER))["tasks"]
    assert [t["name"] for t in tasks[:2]] == ["Alice", "Bob"] and [t["age"] for t in tasks[:2]] == [30, 40]
    assert len(tasks) == 3


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("prompt", ["I have twelve questions about the weather", "Consider the 7 points below: nothing at all",
                                    "Answer five of the users' questions", "Sort these records by 10 fields"])
def test_a_count_not_about_the_array_leaves_it_alone(mock, way, prompt):
    assert len(WAYS[way](mock, prompt, iterable(USER))["tasks"]) <= 3  # a made-up array's 1 to 3 items, as before


@pytest.mark.parametrize("way", WAYS)
def test_a_number_about_the_person_is_no_count(mock, way):
    prompt = "Sarah is 30 years old and lives 5 miles away"
    assert WAYS[way](mock, prompt, iterable(USER))["tasks"] == [{"name": "Sarah", "age": 30}]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("prompt", ["Extract jason is 25 years old", "extract: jason is 25"])
def test_a_lower_case_name_is_a_name(mock, way, prompt):
    found = WAYS[way](mock, prompt, USER)
    assert found["name"].lower() == "jason" and found["age"] == 25


@pytest.mark.parametrize("way", ["chat_tool", "responses_format"])
@pytest.mark.parametrize(("prompt", "not_a_name"), [("The temperature is 20 degrees", "temperature"),
                                                    ("my son is 5 years old", "son"), ("Set max to 25", "max")])
def test_a_lower_case_word_that_is_no_name_is_not_taken_for_one(mock, way, prompt, not_a_name):
    assert WAYS[way](mock, prompt, USER)["name"].lower() != not_a_name


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("prompt", "said"), [("Say the word `love`.", "love"), ("Say the word `hate`.", "hate"),
                                              ("Respond with 'OK'.", "OK"), ("Reply with only yes.", "yes"),
                                              ('Answer with just "blue sky"', "blue sky"), ("say the word peace", "peace")])
def test_a_reply_says_the_word_asked_for(mock, way, prompt, said):
    assert WAYS[way](mock, prompt, MESSAGE) == {"content": said}


@pytest.mark.parametrize("way", ["chat_format", "responses_tool"])
def test_a_sentence_contains_the_words_asked_for(mock, way):
    prompt = "\n    Make a sentence that contains the words \n    \n    `love`\n    \n    `peace`\n    \n    `joy`\n    \n"
    content = WAYS[way](mock, prompt, MESSAGE)["content"]
    assert all(word in content for word in ("love", "peace", "joy"))


@pytest.mark.parametrize("way", ["chat_tool", "responses_format"])
@pytest.mark.parametrize(("prompt", "not_said"), [("Say 'TERMINATE' when you are done.", "TERMINATE"),
                                                  ("Respond with JSON.", "JSON"), ("If unsure, reply with 'unknown'.", "unknown")])
def test_how_or_when_to_answer_is_not_what_to_say(mock, way, prompt, not_said):
    assert WAYS[way](mock, prompt, MESSAGE)["content"] != not_said


@pytest.mark.parametrize("way", ["chat_format", "responses_tool"])
def test_a_reply_with_several_strings_keeps_its_other_fields(mock, way):
    schema = {"type": "object", "required": ["title", "summary"],
              "properties": {"title": {"type": "string"}, "summary": {"type": "string"}}}
    assert "love" not in WAYS[way](mock, "Say the word `love`.", schema).values()
