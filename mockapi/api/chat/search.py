"""Web search on Chat Completions: the search-preview models cite their sources as ``url_citation``s.

The sources and the cited sentences are those of the Responses ``web_search`` tool
(:func:`mockapi.api.responses.hosted.web_search`), so both APIs answer a search the same way; Chat
nests each citation's offsets under ``url_citation``.
"""

from __future__ import annotations

import random
from typing import Any

from mockapi.core.catalog import ModelInfo
from mockapi.core.tokenizer import tokenize

from ..responses.generate import cite
from ..responses.hosted import web_search
from .generate import Choice, logprob_entry


def searches(model: ModelInfo) -> bool:
    """Whether ``model`` searches the web on Chat Completions."""
    return model.search  # the catalogue says which models search (fixtures/models.yaml)


def annotate(choice: Choice, prompt: str, ident: str, r: random.Random, top_logprobs: int) -> None:
    """Append cited sources to the choice's answer and set ``annotations`` with offsets into it."""
    if choice.content is None or choice.finish_reason == "length":
        return
    sources = web_search({}, prompt, ident, []).citations
    text = cite(choice.content, sources)
    added = tokenize(text[len(choice.content):])
    choice.content, choice.tokens = text, choice.tokens + added
    if choice.logprobs is not None:
        choice.logprobs += [logprob_entry(token, r, top_logprobs) for token in added]
    choice.annotations = url_citations(text, sources)


def url_citations(text: str, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat ``url_citation`` annotations for the markdown links to ``sources`` in ``text``."""
    found = []
    for source in sources:
        link = f"[{source['url'].split('/')[2]}]({source['url']})"
        start = text.find(link)
        if start >= 0:
            found.append({"type": "url_citation", "url_citation": {"start_index": start, "end_index": start + len(link),
                                                                   "url": source["url"], "title": source["title"]}})
    return found
