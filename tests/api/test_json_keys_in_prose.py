"""JSON mode when the prompt names the keys in prose, as LangChain's integration tests ask for a joke.

The standard suite sends "Return the result as a JSON with 'setup' and 'punchline' keys" with
``response_format={"type": "json_object"}`` and parses ``Joke(setup: str, punchline: str)`` from the answer: a
``{"response": ...}`` object fails that parse. Outside JSON mode the same prompt gets prose, as before.
"""

from __future__ import annotations

import json

import pytest

JOKE = ("Tell me a joke about cats. Return the result as a JSON with 'setup' and 'punchline' keys. "
        "Return nothing other than JSON.")


def _chat_json(mock, prompt: str, system: str | None = None) -> dict:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    reply = mock.client.chat.completions.create(model="gpt-4o-mini", messages=messages, response_format={"type": "json_object"})
    return json.loads(reply.choices[0].message.content)


def _responses_json(mock, prompt: str) -> dict:
    reply = mock.client.responses.create(model="gpt-4o-mini", input=prompt, text={"format": {"type": "json_object"}})
    return json.loads(reply.output_text)


def _texts(answer: dict) -> bool:
    return all(isinstance(value, str) and value.strip() for value in answer.values())


def test_the_joke_has_setup_and_punchline_in_chat(mock):
    answer = _chat_json(mock, JOKE)
    assert list(answer) == ["setup", "punchline"] and _texts(answer)


def test_the_joke_has_setup_and_punchline_in_responses(mock):
    answer = _responses_json(mock, JOKE)
    assert list(answer) == ["setup", "punchline"] and _texts(answer)


def test_the_joke_streamed_has_the_keys_too(mock):
    stream = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": JOKE}],
                                                 response_format={"type": "json_object"}, stream=True)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert list(json.loads(text)) == ["setup", "punchline"]


@pytest.mark.parametrize(("prompt", "keys"), [
    ("Describe a city. Answer with a JSON object with keys name, country and population.", ["name", "country", "population"]),
    ("Give me a book recommendation as JSON. Use the keys: `title`, `author`.", ["title", "author"]),
    ('Summarise the news in JSON with fields "headline" and "summary".', ["headline", "summary"]),
    ("Return a JSON object containing 'question' and 'answer'.", ["question", "answer"]),
    ("Reply in JSON with a single 'verdict' key.", ["verdict"]),
    ("Respond in JSON with the following fields:\n- title: the title\n- tags: a few tags\n", ["title", "tags"]),
])
def test_other_phrasings_name_the_keys(mock, prompt, keys):
    assert list(_chat_json(mock, prompt)) == keys
    assert list(_responses_json(mock, prompt)) == keys


def test_keys_named_in_the_system_message(mock):
    answer = _chat_json(mock, "Tell me about owls.", system="Always answer as JSON with 'topic' and 'facts' keys.")
    assert list(answer) == ["topic", "facts"]


@pytest.mark.parametrize("prompt", [
    "Tell me a joke about cats. Return nothing other than JSON.",
    "I lost my keys and my wallet. What should I do? Reply in JSON.",
    "Answer in JSON with 'yes' or 'no'.",
    "Which fields of study pay best? Answer in JSON.",
])
def test_a_prompt_naming_no_keys_still_gets_a_response_object(mock, prompt):
    assert list(_chat_json(mock, prompt)) == ["response"]
    assert list(_responses_json(mock, prompt)) == ["response"]


def test_outside_json_mode_the_joke_is_prose(mock):
    text = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": JOKE}]).choices[0].message.content
    assert text and not text.lstrip().startswith("{")
    assert not mock.client.responses.create(model="gpt-4o-mini", input=JOKE).output_text.lstrip().startswith("{")
