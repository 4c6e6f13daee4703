"""The substring tests in front of the content readers' regexes never skip a text the regex would have matched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.content import formats, replies, speakers, textgen
from mockapi.content.cues import says_any

# (regex, the words says_any is asked for before it runs): each pair as its reader uses it.
GUARDED = [
    pytest.param((replies._MAYBE_STATES, replies._STATING), id="states"),
    pytest.param((replies._QUESTION, replies._ASKING), id="asks-about-a-fact"),
    pytest.param((replies._WHO, replies._ASKING), id="who-am-i"),
    pytest.param((textgen._LENGTH_ASK, ("word", "token")), id="length"),
    pytest.param((speakers._MENTIONS_WHO, ("who",)), id="who"),
    pytest.param((formats._MAY_NAME_KEYS, formats._NAMING_KEYS), id="names-keys"),
]
# Pieces of what the regexes look for, in several cases; and the non-ASCII letters re.IGNORECASE folds into ASCII.
ASCII_PIECES = ["my", "MY", "call me", "I work", "i'm", "I am", "live", "Who", "WHO am I", "what is", "tell me",
                "name", "5", "300", "-", "words", "Tokens", " ", "?", "x", "KEYS", "Field", "property", "attributes",
                "'", '"', "`"]
FOLDED = ["ı", "İ", "ſ", "\u212a", "é", "\u201c"]


@pytest.mark.parametrize("guarded", GUARDED)
@settings(max_examples=300)
@given(text=st.lists(st.sampled_from(ASCII_PIECES), max_size=8).map("".join))
def test_an_ascii_text_the_test_skips_is_one_the_regex_never_matches(guarded, text):
    pattern, needles = guarded
    assert says_any(text, needles) or pattern.search(text) is None


@pytest.mark.parametrize("guarded", GUARDED)
@settings(max_examples=100)
@given(text=st.lists(st.sampled_from(ASCII_PIECES + FOLDED), max_size=8).map("".join))
def test_a_text_with_letters_the_regex_folds_is_never_skipped(guarded, text):
    pattern, needles = guarded
    assert says_any(text, needles) or pattern.search(text) is None


@pytest.mark.parametrize("text", ["Question 5: how long is bridge 5?", "What is the capital of France?"])
def test_a_plain_question_is_skipped_by_every_test(text):
    assert not any(says_any(text, guarded.values[0][1]) for guarded in GUARDED)


def test_case_is_ignored_and_non_ascii_text_always_goes_to_the_regex():
    assert says_any("WHO spoke?", ("who",))
    assert says_any("Write 300 Tokens", ("word", "token"))
    assert says_any("wıth nothıng", ("who",))  # dotless i: the regex decides
    assert not says_any("with nothing", ("who",))


def test_the_readers_still_answer_what_they_look_for():
    assert replies.recall("What is my name?", ["My name is Alice."]) == "Your name is Alice."
    assert replies.recall("Question 5: how long is bridge 5?", ["My name is Alice."]) is None
    assert textgen.requested_length("Answer in 30 words") == 40
    assert speakers.asks_who("Who just spoke?") and not speakers.asks_who("What just happened?")
