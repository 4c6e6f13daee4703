"""The counts, people and words said back that a prompt states, read alone (the SDK-level tests are
tests/api/test_listed_values.py): what each rule takes, and what it must leave alone."""

from __future__ import annotations

from random import Random

import pytest

from mockapi.content.item_counts import asked_count
from mockapi.content.prompt_values import fill
from mockapi.content.said_words import said_words
from mockapi.content.understanding import facts

USER = {"title": "User", "type": "object", "properties": {"name": {"type": "string"}}}
ARRAY = {"type": "array", "items": USER}


@pytest.mark.parametrize(("prompt", "count"), [("Generate three fake profiles", None), ("three users", 3), ("5 users", 5),
                                               ("a couple of users", 2), ("a few users", 3), ("a dozen users", 12),
                                               ("half a dozen users", 6), ("twenty example entries", 20),
                                               ("four new, fake users", 4), ("I have three questions", None),
                                               ("two of the users", None), ("Jason is 20, Sarah is 30", None),
                                               ("9999 users", 100)])
def test_a_count_counts_the_array_its_words_name(prompt, count):
    assert asked_count(prompt, "tasks", ARRAY, USER) == count


def test_a_count_counts_by_the_property_name_and_within_min_and_max_items():
    assert asked_count("list three profiles", "profiles", {"type": "array"}, {"type": "string"}) == 3
    assert asked_count("a dozen users", "tasks", {**ARRAY, "maxItems": 5}, USER) == 5
    assert asked_count("one user", "tasks", {**ARRAY, "minItems": 2}, USER) == 2


@pytest.mark.parametrize(("prompt", "people"), [("Extract jason is 25 years old", ["jason"]),
                                                ("Jason is 20, Sarah is 30", ["Jason", "Sarah"]),
                                                ("Zorg is 20, the price is 30", ["Zorg"]),
                                                ("email alice@example.com or visit example.com/john/", []),
                                                ("set max to 3 and grace to 2", []),
                                                ("The temperature is 20 degrees", []), ("my son is 5 years old", []),
                                                ("If x is 5 then y is 3", [])])
def test_people_without_a_capital(prompt, people):
    assert facts(prompt).of_kind("person") == people


@pytest.mark.parametrize(("prompt", "said"), [("Say the word `love`.", "love"), ("Respond with 'OK'", "OK"),
                                              ("reply with only yes", "yes"), ("Say hello.", "hello"),
                                              ("Return \"done\" now", "done"),
                                              ("Say hello to Bob", None), ("Respond with JSON.", None),
                                              ("Say 'TERMINATE' when you are done.", None),
                                              ("Return the result.", None), ("Write an essay about love.", None)])
def test_words_said_back(prompt, said):
    assert said_words(prompt) == said


def test_a_sentence_with_the_words_it_must_contain():
    assert said_words("Make a sentence that contains the words `love`, `peace` and `joy`") == "A sentence with love, peace and joy."


def test_a_counted_enum_array_takes_different_options():
    schema = {"type": "object", "properties": {"colors": {"type": "array", "items": {"enum": ["red", "green", "blue", "gold"]}}}}
    assert fill(schema, facts("Pick three colors, one of them green"), Random(0)) == {"colors": ["green", "red", "blue"]}
