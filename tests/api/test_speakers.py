"""Multi-party chats: messages carry ``name``, and "who just spoke?" is answered from them (as langchain-openai's
integration tests ask; only Chat messages have names)."""

from __future__ import annotations

HAIR = [{"role": "user", "content": "Hi, I have black hair.", "name": "Alice"},
        {"role": "user", "content": "Hi, I have brown hair.", "name": "Bob"}]


def _ask(mock, question: str, earlier=HAIR, name: str | None = "Charlie") -> str:
    last = {"role": "user", "content": question, **({"name": name} if name else {})}
    reply = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[*earlier, last])
    return reply.choices[0].message.content


def test_who_just_spoke_is_the_last_named_speaker(mock):
    text = _ask(mock, "Who just spoke?")
    assert "Bob" in text and "Alice" not in text and "brown hair" in text


def test_other_ways_of_asking_for_the_last_speaker(mock):
    for question in ("who spoke last?", "Who was the last to speak?", "Who said that?"):
        assert "Bob" in _ask(mock, question) and "Alice" not in _ask(mock, question)


def test_who_said_something_finds_the_speaker(mock):
    text = _ask(mock, "Who said they have black hair?")
    assert "Alice" in text and "Bob" not in text
    assert "Bob" in _ask(mock, "Who has brown hair?")


def test_an_assistant_turn_between_is_skipped(mock):
    earlier = [*HAIR, {"role": "assistant", "content": "Nice to meet you both."}]
    assert "Bob" in _ask(mock, "Who just spoke?", earlier)


def test_without_names_the_question_is_answered_as_before(mock):
    unnamed = [{"role": "user", "content": m["content"]} for m in HAIR]
    text = _ask(mock, "Who just spoke?", unnamed, name=None)
    assert "Bob" not in text and "Alice" not in text


def test_a_who_question_about_something_else_is_not_about_speakers(mock):
    text = _ask(mock, "Who painted the Mona Lisa?")
    assert "Bob" not in text and "Alice" not in text
