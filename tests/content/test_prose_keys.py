"""The rules that read JSON keys out of a prompt's prose (mockapi/content/formats.py), case by case: quoted names
next to the word for them, bare names only as a whole list after it; prose that merely says "keys" names none."""

from __future__ import annotations

import pytest

from mockapi.content.formats import prose_keys


@pytest.mark.parametrize(("prompt", "keys"), [
    ("Return the result as a JSON with 'setup' and 'punchline' keys.", ["setup", "punchline"]),
    ("JSON object with keys a, b and c", ["a", "b", "c"]),
    ("JSON object with keys name, country, and population.", ["name", "country", "population"]),
    ("Use the keys: `title`, `author`.", ["title", "author"]),
    ('Summarise it with fields "headline" and "summary".', ["headline", "summary"]),
    ("Return an object containing 'question' and 'answer'.", ["question", "answer"]),
    ("Reply with a single 'verdict' key.", ["verdict"]),
    ("Return JSON. The keys are name and age.", ["name", "age"]),
    ("Return JSON with keys \u201cfirst\u201d and \u201csecond\u201d.", ["first", "second"]),
    ("Respond with these fields:\n- title: the title\n- `tags` (a list)\n", ["title", "tags"]),
    ("The 'answer' field is required. Also give a 'confidence' field.", ["answer", "confidence"]),
])
def test_keys_named_in_prose(prompt, keys):
    assert prose_keys(prompt) == keys


@pytest.mark.parametrize("prompt", [
    "Tell me a joke about cats. Return nothing other than JSON.",
    "I lost my keys and my wallet. Reply in JSON.",
    "Answer in JSON with 'yes' or 'no'.",
    "Which fields of study pay best? Answer in JSON.",
    "Use the fields below.",
    "Sort the keys alphabetically.",
    "Explain what JSON keys are.",
    "List the properties of water.",
    "It's a 'test' of the keys.",
    "Answer these questions about the fields:\n- Which crop grows best?\n",
])
def test_prose_that_names_no_keys(prompt):
    assert prose_keys(prompt) is None


def test_lists_are_read_at_most_32_names_long():
    # Every list is tried from each of its names: unbounded, 40 000 quoted words took minutes (bench, not a timed test).
    named = "Return a JSON object with keys " + ", ".join(f"'k{i}'" for i in range(40)) + "."
    assert prose_keys(named) == [f"k{i}" for i in range(32)]
    assert prose_keys(" 'a' and" * 40_000) is None
