"""Answers that follow the prompt: the tools it refers to, the names and values it states, and file
search answers that quote what they cite (Chat, Responses and Assistants runs, through the SDK)."""

from __future__ import annotations

import datetime
import json
from typing import List

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from mockapi.content import lexicon

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WEATHER_PARAMS = {"type": "object", "properties": {
    "location": {"type": "string", "description": "City name"},
    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    "required": ["location", "unit"], "additionalProperties": False}
CHAT_WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Get the current weather for a city",
                                                 "parameters": WEATHER_PARAMS}}
RESPONSES_WEATHER = {"type": "function", "name": "get_weather", "description": "Get the current weather for a city", "strict": True,
                     "parameters": WEATHER_PARAMS}
CHAT_EMAIL = {"type": "function", "function": {"name": "send_email", "description": "Send an email message", "parameters": {
    "type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}}, "required": ["to", "body"]}}}
HANDBOOK = (b"Welcome to Acme. This handbook explains how we work together. "
            b"Full-time employees get 25 vacation days per year, and unused days carry over until March. "
            b"Sick leave is unlimited but must be reported to your manager. "
            b"The office is closed on public holidays. Expense reports are due by the fifth of each month.")
VACATION = "Full-time employees get 25 vacation days per year, and unused days carry over until March."


class CalendarEvent(BaseModel):
    name: str
    date: str
    participants: List[str]


def _chat_calls(mock, prompt: str, tools=(CHAT_WEATHER,), **kwargs) -> list[tuple[str, dict]]:
    done = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}],
                                               tools=list(tools), **kwargs)
    calls = done.choices[0].message.tool_calls or []
    return [(c.function.name, json.loads(c.function.arguments)) for c in calls]


def _responses_calls(mock, prompt: str) -> list[tuple[str, dict]]:
    done = mock.client.responses.create(model="gpt-4o", input=prompt, tools=[RESPONSES_WEATHER])
    return [(o.name, json.loads(o.arguments)) for o in done.output if o.type == "function_call"]


def _run_calls(mock, prompt: str) -> list[tuple[str, dict]]:
    assistant = mock.client.beta.assistants.create(model="gpt-4o", tools=[CHAT_WEATHER])
    thread = mock.client.beta.threads.create(messages=[{"role": "user", "content": prompt}])
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    if run.status != "requires_action":
        return []
    return [(c.function.name, json.loads(c.function.arguments)) for c in run.required_action.submit_tool_outputs.tool_calls]


API_CALLS = {"chat": _chat_calls, "responses": _responses_calls, "assistants": _run_calls}


@pytest.mark.parametrize("api", API_CALLS)
def test_one_call_per_listed_city_and_no_capitalised_common_words(mock, api):
    calls = API_CALLS[api](mock, "Weather in London and Paris?")
    assert [name for name, _ in calls] == ["get_weather", "get_weather"]
    assert [args["location"] for _, args in calls] == ["London", "Paris"]
    three = API_CALLS[api](mock, "What's the weather in London, Paris, and Tokyo?")
    assert [args["location"] for _, args in three] == ["London", "Paris", "Tokyo"]


@pytest.mark.parametrize("api", API_CALLS)
@pytest.mark.parametrize(("prompt", "city"), [("Is it sunny in Madrid?", "Madrid"),
                                               ("Do I need an umbrella in Seattle?", "Seattle"),
                                               ("Will it snow in Oslo tomorrow?", "Oslo")])
def test_a_paraphrase_of_the_weather_calls_the_weather_tool(mock, api, prompt, city):
    assert API_CALLS[api](mock, prompt) == [("get_weather", {"location": city, "unit": "celsius"})]


@pytest.mark.parametrize("api", API_CALLS)
def test_no_tool_for_a_prompt_about_something_else(mock, api):
    assert API_CALLS[api](mock, "Write a short poem about libraries.") == []


@pytest.mark.parametrize("api", API_CALLS)
def test_a_stated_enum_value_is_taken(mock, api):
    calls = API_CALLS[api](mock, "What's the temperature in Berlin in fahrenheit?")
    assert calls == [("get_weather", {"location": "Berlin", "unit": "fahrenheit"})]


def test_the_tool_the_prompt_names_is_chosen_with_its_stated_values(mock):
    calls = _chat_calls(mock, "Please send an email to carol@example.com about the party.", tools=(CHAT_WEATHER, CHAT_EMAIL))
    assert [name for name, _ in calls] == ["send_email"] and calls[0][1]["to"] == "carol@example.com"


def test_chat_structured_output_takes_the_stated_values(mock):
    done = mock.client.chat.completions.parse(
        model="gpt-4o", response_format=CalendarEvent,
        messages=[{"role": "system", "content": "Extract the event information."},
                  {"role": "user", "content": "Alice and Bob are going to a science fair on Friday."}])
    event = done.choices[0].message.parsed
    assert event == CalendarEvent(name="science fair", date="Friday", participants=["Alice", "Bob"])


def test_responses_structured_output_takes_the_stated_values(mock):
    done = mock.client.responses.parse(model="gpt-4o", text_format=CalendarEvent, input=[
        {"role": "system", "content": "Extract the event information."},
        {"role": "user", "content": "Alice and Bob are going to a science fair on Friday."}])
    assert done.output_parsed == CalendarEvent(name="science fair", date="Friday", participants=["Alice", "Bob"])


class Person(BaseModel):
    name: str
    age: int
    city: str


class People(BaseModel):
    people: List[Person]


def test_a_list_of_records_has_one_record_per_stated_person(mock):
    done = mock.client.chat.completions.parse(model="gpt-4o", response_format=People, messages=[
        {"role": "user", "content": "Alice is 30 and lives in Paris, Bob is 25 and lives in Oslo."}])
    assert done.choices[0].message.parsed == People(people=[Person(name="Alice", age=30, city="Paris"),
                                                            Person(name="Bob", age=25, city="Oslo")])


def test_same_request_same_answer(mock):
    def ask() -> str:
        done = mock.client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "Meet Dana at the harbor cafe on 2025-03-01."}],
            response_format={"type": "json_schema", "json_schema": {"name": "meeting", "schema": {
                "type": "object", "properties": {"person": {"type": "string"}, "date": {"type": "string", "format": "date"},
                                                 "notes": {"type": "string"}}}}})
        return done.choices[0].message.content

    first = ask()
    assert first == ask()
    assert json.loads(first)["person"] == "Dana" and json.loads(first)["date"] == "2025-03-01"


def _hr_store(mock):
    handbook = mock.client.files.create(file=("hr-handbook.txt", HANDBOOK), purpose="assistants")
    store = mock.client.vector_stores.create(name="HR", file_ids=[handbook.id])
    return handbook, store


def test_responses_file_search_quotes_the_chunk_it_cites(mock):
    handbook, store = _hr_store(mock)
    done = mock.client.responses.create(model="gpt-4o", input="How many vacation days do I get?",
                                        tools=[{"type": "file_search", "vector_store_ids": [store.id]}])
    kinds = [o.type for o in done.output]
    assert kinds == ["file_search_call", "message"]
    part = done.output[1].content[0]
    assert VACATION in part.text and "Sick leave" not in part.text
    assert [(a.type, a.file_id, a.filename) for a in part.annotations] == [("file_citation", handbook.id, "hr-handbook.txt")]
    unrelated = mock.client.responses.create(model="gpt-4o", input="Write a haiku about autumn leaves.",
                                             tools=[{"type": "file_search", "vector_store_ids": [store.id]}])
    assert [o.type for o in unrelated.output] == ["message"]  # auto: the store says nothing about it


def test_assistant_run_file_search_quotes_the_chunk_it_cites(mock):
    handbook, store = _hr_store(mock)
    assistant = mock.client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}],
                                                   tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    thread = mock.client.beta.threads.create(messages=[{"role": "user", "content": "How many vacation days do I get?"}])
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    reply = mock.client.beta.threads.messages.list(thread.id, order="desc").data[0]
    text = reply.content[0].text
    assert VACATION in text.value
    [annotation] = text.annotations
    assert annotation.type == "file_citation" and annotation.file_citation.file_id == handbook.id
    assert text.value[annotation.start_index:annotation.end_index] == annotation.text


_NOT_A_NAME = {*lexicon.NOT_NAMES, *lexicon.WEEKDAYS, *lexicon.MONTHS, *lexicon.PLACES, *lexicon.PEOPLE,
               *(w for c in lexicon.CONCEPTS.values() for w in c["prompt"])}
NAMES = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9).filter(lambda w: w not in _NOT_A_NAME).map(str.capitalize)
PROFILE = {"type": "object", "properties": {
    "name": {"type": "string"}, "age": {"type": "integer", "minimum": 0, "maximum": 150},
    "unit": {"type": "string", "enum": ["celsius", "fahrenheit", "kelvin"]}},
    "required": ["name", "age", "unit"], "additionalProperties": False}
TEMPLATES = ("My friend {name} is {age} years old and reads temperatures in {unit}.",
             "Sign up {name}, aged {age}, who prefers {unit}.",
             "Please add a profile for {name}: {age} years, {unit} please.")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, age=st.integers(0, 150), unit=st.sampled_from(["celsius", "fahrenheit", "kelvin"]),
       template=st.sampled_from(TEMPLATES))
def test_property_a_stated_value_always_appears_in_the_structured_output(mock, name, age, unit, template):
    prompt = template.format(name=name, age=age, unit=unit)
    done = mock.client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": prompt}],
        response_format={"type": "json_schema", "json_schema": {"name": "profile", "strict": True, "schema": PROFILE}})
    value = json.loads(done.choices[0].message.content)
    jsonschema.validate(value, PROFILE)
    assert value == {"name": name, "age": age, "unit": unit}, prompt


@pytest.mark.parametrize("api", ["chat", "responses"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cities=st.lists(NAMES, min_size=1, max_size=4, unique=True), unit=st.sampled_from(["", " in celsius", " in fahrenheit"]),
       opener=st.sampled_from(["What's the weather in {}", "Weather in {}", "Is it raining in {}", "Forecast for {}"]))
def test_property_tool_arguments_validate_and_name_only_stated_entities(mock, api, cities, unit, opener):
    listed = cities[0] if len(cities) == 1 else ", ".join(cities[:-1]) + " and " + cities[-1]
    prompt = opener.format(listed) + unit + "?"
    calls = API_CALLS[api](mock, prompt)
    assert calls and all(name == "get_weather" for name, _ in calls), prompt
    for _, args in calls:
        jsonschema.validate(args, WEATHER_PARAMS)
        assert args["location"] in prompt and args["location"] in cities
        assert args["unit"] == (unit.split()[-1] if unit else "celsius")
    assert [args["location"] for _, args in calls] == cities


@pytest.mark.parametrize(("prompt", "tool"), [
    ("Send a note to dana@example.com saying hi", "send_email"),
    ("Schedule a meeting with Carol on Monday", "create_event"),
    ("What's AAPL trading at?", "get_stock_price"),
    ("What time is it in Tokyo?", "get_time"),
    ("Recommend a book about gardens", None),
])
def test_the_concept_lexicon_picks_the_tool_a_paraphrase_means(mock, prompt, tool):
    def fn(name: str, description: str, prop: str) -> dict:
        return {"type": "function", "function": {"name": name, "description": description, "parameters": {
            "type": "object", "properties": {prop: {"type": "string"}}, "required": [prop]}}}

    tools = [fn("send_email", "Send an email", "to"), fn("create_event", "Add an event to the calendar", "title"),
             fn("get_stock_price", "Latest quote for a ticker", "symbol"), fn("get_time", "Current time in a timezone", "location")]
    calls = _chat_calls(mock, prompt, tools=tools)
    assert [name for name, _ in calls] == ([tool] if tool else [])


def test_reservation_arguments_take_the_stated_date_time_and_count(mock):
    book = {"type": "function", "function": {"name": "book_table", "description": "Reserve a restaurant table", "parameters": {
        "type": "object", "properties": {"restaurant": {"type": "string"}, "date": {"type": "string"},
                                         "time": {"type": "string"}, "party_size": {"type": "integer", "minimum": 1}},
        "required": ["restaurant", "date", "time", "party_size"]}}}
    calls = _chat_calls(mock, "Please reserve a table for 4 people tomorrow at 7pm.", tools=(CHAT_WEATHER, book))
    assert [name for name, _ in calls] == ["book_table"]
    args = calls[0][1]
    assert (args["date"], args["time"], args["party_size"]) == ("tomorrow", "7pm", 4)
    jsonschema.validate(args, book["function"]["parameters"])


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_a_value_the_prompt_assigns_to_a_property_is_taken(mock, api):
    # The SDK's own examples/responses/websocket.py asks "Use get_sku_inventory for sku='sku-froge-lily-pad-deluxe'".
    params = {"type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
              "required": ["sku", "quantity"], "additionalProperties": False}
    prompt = "Use check_inventory for sku='sku-froge-lily-pad-deluxe' with quantity=12 and summarize the stock."
    if api == "chat":
        tool = {"type": "function", "function": {"name": "check_inventory", "description": "Stock of a SKU", "parameters": params}}
        calls = _chat_calls(mock, prompt, tools=(tool,))
    else:
        done = mock.client.responses.create(model="gpt-4o", input=prompt, tools=[
            {"type": "function", "name": "check_inventory", "description": "Stock of a SKU", "parameters": params, "strict": True}])
        calls = [(o.name, json.loads(o.arguments)) for o in done.output if o.type == "function_call"]
    assert calls == [("check_inventory", {"sku": "sku-froge-lily-pad-deluxe", "quantity": 12})]


@pytest.mark.parametrize(("prompt", "prop", "value"), [
    ("Can you get my ETA for tracking number ZX-123?", "tracking_number", "ZX-123"),
    ("Look up customer_42 and list their open orders.", "customer_id", "customer_42"),
    ("Where is order 10045? It left at 3pm.", "order_id", "10045"),
])
def test_an_identifier_the_prompt_states_goes_to_an_id_property(mock, prompt, prop, value):
    tool = {"type": "function", "function": {"name": "lookup", "description": "Look up a shipment, customer or order",
            "parameters": {"type": "object", "properties": {prop: {"type": "string"}}, "required": [prop]}}}
    calls = _chat_calls(mock, prompt, tools=(tool,), tool_choice="required")
    assert calls == [("lookup", {prop: value})]


def test_a_value_pinned_to_one_property_is_not_repeated_in_another(mock):
    # pydantic-ai and others return structured output through a tool: the city the call is about is pinned, and
    # the country takes the other place the prompt names.
    tool = {"type": "function", "function": {"name": "final_result", "description": "The final response", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}, "country": {"type": "string"}}, "required": ["city", "country"]}}}
    calls = _chat_calls(mock, "Paris is the capital of France.", tools=(tool,), tool_choice="required")
    assert calls == [("final_result", {"city": "Paris", "country": "France"})]


class Booking(BaseModel):
    city: str
    people: int
    at: datetime.time  # {"type": "string", "format": "time"} in the schema the SDK sends
    on: datetime.date


def test_a_time_and_a_date_come_in_their_formats_shape(mock):
    # "7pm" is what the prompt says; a model filling a `time` writes 19:00:00, and a date it was not told is a date still.
    done = mock.client.chat.completions.parse(model="gpt-4o", response_format=Booking, messages=[
        {"role": "user", "content": "Book a table for 4 people at 7pm in Rome."}])
    booking = done.choices[0].message.parsed
    assert (booking.city, booking.people, booking.at) == ("Rome", 4, datetime.time(19, 0))
    assert isinstance(booking.on, datetime.date)
