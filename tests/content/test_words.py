"""Prompt and tool names split into the same words as the pattern first written (a look-behind per character)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.content.understanding import _CAMEL_WORD, stems

REFERENCE = re.compile(r"[A-Za-z](?:[a-z0-9']|(?<![a-z])[A-Z])*")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["a", "b", "Z", "Q", "0", "7", "'", "_", "-", " ", ".", "é", "Weather", "getX", "ID2"]),
                max_size=30).map("".join))
def test_words_match_the_reference_pattern(text):
    assert _CAMEL_WORD.findall(text) == REFERENCE.findall(text)


def test_snake_and_camel_case_names_split_into_words():
    assert _CAMEL_WORD.findall("getWeatherNow") == ["get", "Weather", "Now"]
    assert _CAMEL_WORD.findall("HTTPServer2Go don't get_user_ID") == ["HTTPServer2Go", "don't", "get", "user", "ID"]
    assert stems("forecasts raining") == {"forecast", "rain"}


def test_every_name_reader_splits_identifiers_the_same_way():
    from mockapi.content.words import identifier_words

    assert identifier_words("getWeather") == ("get", "weather")
    assert identifier_words("user_ID2") == ("user", "id")
    assert identifier_words("HTTPServer") == ("http", "server")
    assert identifier_words("first name") == ("first", "name")
    assert identifier_words("") == ()
