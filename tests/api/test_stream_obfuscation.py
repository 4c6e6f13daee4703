"""Stream obfuscation: every chat chunk and every Responses text delta carries an ``obfuscation`` padding by default.

The real API pads streamed events with 1-16 random letters and digits so that their sizes do not tell the text
(``ChatCompletionChunk.obfuscation``: "included by default and omitted when stream_options.include_obfuscation is
false"; recorded streams show it on each chunk and on ``response.output_text.delta``). The padding is the only
difference: the text is the same with it or without it.
"""

from __future__ import annotations

import re

USER = [{"role": "user", "content": "Explain retries with exponential backoff."}]
PADDING = re.compile(r"^[A-Za-z0-9]{1,16}$")


def test_every_chat_chunk_is_padded_by_default(mock):
    chunks = list(mock.client.chat.completions.create(model="gpt-4o", messages=USER, stream=True, stream_options={"include_usage": True}))
    for chunk in chunks:
        mock.validate("createChatCompletion", chunk, stream=True)
    assert all(PADDING.match(chunk.obfuscation or "") for chunk in chunks)
    assert len({chunk.obfuscation for chunk in chunks}) > 1  # a padding of its own for each, not one repeated


def test_chat_chunks_without_obfuscation_when_turned_off_with_the_same_text(mock):
    def stream(**options) -> list:
        return list(mock.client.chat.completions.create(model="gpt-4o", messages=USER, stream=True, stream_options=options))

    padded, plain = stream(), stream(include_obfuscation=False)
    assert all(chunk.obfuscation is None for chunk in plain)
    assert "obfuscation" not in plain[1].model_dump(exclude_unset=True)
    text = ["".join(c.choices[0].delta.content or "" for c in chunks if c.choices) for chunks in (padded, plain)]
    assert text[0] == text[1] != ""


def test_responses_text_deltas_are_padded_by_default_and_not_when_turned_off(mock):
    def deltas(**options) -> list:
        events = mock.client.responses.create(model="gpt-4o", input="Hello!", stream=True, **options)
        return [e for e in events if e.type == "response.output_text.delta"]

    padded = deltas()
    assert padded and all(PADDING.match(getattr(e, "obfuscation", "") or "") for e in padded)
    plain = deltas(stream_options={"include_obfuscation": False})
    assert all("obfuscation" not in e.model_dump() for e in plain)
    assert "".join(e.delta for e in padded) == "".join(e.delta for e in plain) != ""


def test_a_replayed_stream_is_padded_unless_asked_not_to_be(mock):
    response = mock.client.responses.create(model="gpt-4o", input="Hello!")
    replayed = [e for e in mock.client.responses.retrieve(response.id, stream=True) if e.type == "response.output_text.delta"]
    assert replayed and all(PADDING.match(getattr(e, "obfuscation", "") or "") for e in replayed)
    plain = [e for e in mock.client.responses.retrieve(response.id, stream=True, include_obfuscation=False)
             if e.type == "response.output_text.delta"]
    assert plain and all("obfuscation" not in e.model_dump() for e in plain)
