"""The search-preview models on Chat Completions: answers cite sources with ``url_citation`` annotations."""

from __future__ import annotations

import openai
import pytest

NEWS = [{"role": "user", "content": "What was a positive news story from today?"}]


@pytest.mark.parametrize("model,options", [("gpt-4o-search-preview", {}), ("gpt-4o-mini-search-preview", None)])
def test_annotations_index_the_links_in_the_content(mock, model, options):
    extra = {"web_search_options": options} if options is not None else {}
    message = mock.client.chat.completions.create(model=model, messages=NEWS, **extra).choices[0].message
    assert len(message.annotations) == 2
    for annotation in message.annotations:
        cited = annotation.url_citation
        assert annotation.type == "url_citation" and cited.title
        assert message.content[cited.start_index:cited.end_index].endswith(f"({cited.url})")


def test_streamed_answer_carries_the_same_annotations(mock):
    whole = mock.client.chat.completions.create(model="gpt-4o-search-preview", messages=NEWS).choices[0].message
    chunks = list(mock.client.chat.completions.create(model="gpt-4o-search-preview", messages=NEWS, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    streamed = [a for c in chunks if c.choices for a in (c.choices[0].delta.model_extra or {}).get("annotations", [])]
    assert text == whole.content
    assert [a["url_citation"] for a in streamed] == [a.url_citation.model_dump() for a in whole.annotations]


def test_plain_models_have_no_annotations_and_refuse_web_search_options(mock):
    assert mock.client.chat.completions.create(model="gpt-4o", messages=NEWS).choices[0].message.annotations == []
    with pytest.raises(openai.BadRequestError) as err:
        mock.client.chat.completions.create(model="gpt-4o", messages=NEWS, web_search_options={})
    assert err.value.body["message"] == "Web search options not supported with this model."
