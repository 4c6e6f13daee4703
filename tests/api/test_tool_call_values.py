"""Tool-call arguments as a real model writes them, on Chat Completions and Responses, in both modes.

A place and the region after its comma ("San Francisco, CA", "Paris, France") is one place and one call;
a list of places still gives a call each. A name quoted after "named" or "called" fills a name-like
property whole, in whatever script it is written, and the arguments keep its characters (no \\u escapes).
These are LangChain's standard integration tests (langchain_tests: test_agent_loop and
test_unicode_tool_call_integration), which every LangChain chat-model integration runs.
"""

from __future__ import annotations

import json
import random

import pytest

from mockapi.content.tools import ToolSpec, arguments_for

WEATHER = {"name": "get_weather", "description": "Get the weather at a location.",
           "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}
CUSTOMER = {"name": "unicode_customer", "description": "Tool for creating a customer with Unicode name.",
            "parameters": {"type": "object", "properties": {
                "customer_name": {"type": "string", "description": "The customer's name in their native language."},
                "description": {"type": "string", "description": "Description of the customer."}},
                "required": ["customer_name", "description"]}}
HELLO_GROUP = "Create a customer named '你好啊集团' (Hello Group) - a Chinese technology company that specializes in AI."


def chat_calls(mock, prompt: str, tool: dict, **options) -> list[tuple[str, str]]:
    """(name, raw arguments) of each call a Chat Completion makes."""
    done = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}],
                                               tools=[{"type": "function", "function": tool}], **options)
    return [(c.function.name, c.function.arguments) for c in done.choices[0].message.tool_calls or []]


def responses_calls(mock, prompt: str, tool: dict, **options) -> list[tuple[str, str]]:
    """(name, raw arguments) of each function call a response makes."""
    done = mock.client.responses.create(model="gpt-4o", input=prompt, tools=[{"type": "function", **tool}], **options)
    return [(o.name, o.arguments) for o in done.output if o.type == "function_call"]


API_CALLS = {"chat": chat_calls, "responses": responses_calls}


def locations(mock, api: str, prompt: str, **options) -> list[str]:
    """The location of each weather call ``prompt`` makes through ``api``."""
    calls = API_CALLS[api](mock, prompt, WEATHER, **options)
    assert {name for name, _ in calls} == {"get_weather"}
    return [json.loads(arguments)["location"] for _, arguments in calls]


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize("choice", ["auto", "required"])
def test_a_city_and_its_state_code_are_one_place(mock, api, choice):
    assert locations(mock, api, "What is the weather in San Francisco, CA?", tool_choice=choice) == ["San Francisco, CA"]


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize(("prompt", "place"), [("What's the weather in Paris, France?", "Paris, France"),
                                                ("Is it hot in Austin, Texas today?", "Austin, Texas"),
                                                ("Weather in Toronto, Canada", "Toronto, Canada"),
                                                ("What is the weather in Portland, OR?", "Portland, OR"),
                                                ("How warm is it in Washington, D.C.?", "Washington, D.C.")])
def test_a_city_and_its_state_or_country_are_one_place(mock, api, prompt, place):
    assert locations(mock, api, prompt) == [place]


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize(("prompt", "places"), [
    ("What's the weather in London, Paris and Tokyo?", ["London", "Paris", "Tokyo"]),
    ("Weather in Paris, London, Tokyo?", ["Paris", "London", "Tokyo"]),
    ("Compare the weather in France, Germany and Spain.", ["France", "Germany", "Spain"]),
    ("Is it raining in Texas, California or Oregon?", ["Texas", "California", "Oregon"]),
    ("Weather in San Francisco, New York and Boston?", ["San Francisco", "New York", "Boston"])])
def test_a_list_of_places_still_gives_a_call_each(mock, api, prompt, places):
    assert locations(mock, api, prompt) == places


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize(("prompt", "places"), [
    ("What's the weather in Austin, TX and Boston, MA?", ["Austin, TX", "Boston, MA"]),
    ("Weather in Austin, TX, Boston, MA and Miami, FL", ["Austin, TX", "Boston, MA", "Miami, FL"]),
    ("Weather in Paris, France and Berlin?", ["Paris, France", "Berlin"]),
    ("Weather in Seattle, Washington and Portland, Oregon?", ["Seattle, Washington", "Portland, Oregon"])])
def test_a_list_of_places_with_regions_gives_a_call_per_place(mock, api, prompt, places):
    assert locations(mock, api, prompt) == places
    assert locations(mock, api, prompt, parallel_tool_calls=False) == places[:1]


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize("choice", ["auto", "required"])
def test_a_quoted_unicode_name_is_the_customer_name_and_keeps_its_characters(mock, api, choice):
    [(name, arguments)] = API_CALLS[api](mock, HELLO_GROUP, CUSTOMER, tool_choice=choice)
    values = json.loads(arguments)
    assert name == "unicode_customer" and values["customer_name"] == "你好啊集团"
    assert "你好啊集团" in arguments and "\\u" not in arguments  # the real API sends the characters, not escapes
    assert values["description"] == "a Chinese technology company that specializes in AI"


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize(("prompt", "customer"), [
    ("Create a customer called “Crème Brûlée Ltd”, a French bakery.", "Crème Brûlée Ltd"),
    ("Add a customer named 「東京ラーメン」 to the CRM.", "東京ラーメン"),
    ('Register a customer named "Bob\'s Burgers" please.', "Bob's Burgers"),
    ("Create a customer named 'Bob's Burgers' please.", "Bob's Burgers"),
    ("Create a customer with customer_name: “Zoë Ångström”.", "Zoë Ångström")])
def test_a_quoted_name_in_any_quotes_fills_the_name_property(mock, api, prompt, customer):
    [(_, arguments)] = API_CALLS[api](mock, prompt, CUSTOMER, tool_choice="required")
    assert json.loads(arguments)["customer_name"] == customer and customer in arguments


@pytest.mark.parametrize("api", API_CALLS)
def test_names_quoted_in_a_list_give_a_call_each(mock, api):
    calls = API_CALLS[api](mock, "Create customers named 'Acme' and 'Globex'.", CUSTOMER, tool_choice="required")
    assert [json.loads(arguments)["customer_name"] for _, arguments in calls] == ["Acme", "Globex"]


def test_chat_stream_keeps_the_quoted_name_whole(mock):
    stream = mock.client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": HELLO_GROUP}], stream=True,
        tools=[{"type": "function", "function": CUSTOMER}], tool_choice="required")
    arguments = "".join(c.function.arguments or "" for chunk in stream if chunk.choices
                        for c in chunk.choices[0].delta.tool_calls or [])
    assert json.loads(arguments)["customer_name"] == "你好啊集团"


def test_a_lone_surrogate_in_a_quoted_name_is_escaped_rather_than_failing():
    # No SDK sends one (it cannot encode it), but a raw client may: UTF-8 cannot carry it, a \u escape can.
    tool = ToolSpec(CUSTOMER["name"], CUSTOMER["description"], CUSTOMER["parameters"])
    arguments = arguments_for(tool, random.Random(0), None, "Create a customer named 'a\ud800b'.")
    assert json.loads(arguments)["customer_name"] == "a\ud800b" and "\\ud800" in arguments


USER = {"name": "create_user", "description": "Create a user account.",
        "parameters": {"type": "object", "properties": {"first_name": {"type": "string"}, "last_name": {"type": "string"},
                                                        "email": {"type": "string"}},
                       "required": ["first_name", "last_name", "email"]}}


@pytest.mark.parametrize("api", sorted(API_CALLS))
def test_a_full_name_is_split_into_first_and_last_name(mock, api):
    said = [json.loads(args) for _, args in API_CALLS[api](mock, "Create a user named 'Ana Lima' with email ana@example.com",
                                                          USER, tool_choice="required")]
    assert said == [{"first_name": "Ana", "last_name": "Lima", "email": "ana@example.com"}]  # no closing quote kept
    both = [json.loads(args) for _, args in API_CALLS[api](mock, "Create users Ana Lima and Seán O'Brien.", USER,
                                                          tool_choice="required")]
    assert [(c["first_name"], c["last_name"]) for c in both] == [("Ana", "Lima"), ("Seán", "O'Brien")]
