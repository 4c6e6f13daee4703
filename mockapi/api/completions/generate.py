"""Legacy text completions (``POST /v1/completions``): rules, generation and rendering, no HTTP.

A prompt is a string, a list of strings, a token array or a list of token arrays. Each prompt gets
``n`` choices (the best ``n`` of ``best_of`` candidates), indexed prompt-major as the real API does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

from mockapi.content.textgen import reply_text
from mockapi.core.catalog import ModelInfo
from mockapi.core.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    ModelNotFoundError,
    NotFoundError,
)
from mockapi.core.results import Event
from mockapi.core.tokenizer import count_tokens, token_id, tokenize

DEFAULT_MAX_TOKENS = 16
# Completion models OpenAI retired in January 2024: the API answers 404 model_not_found for them.
RETIRED = frozenset({
    "text-davinci-003", "text-davinci-002", "text-davinci-001", "text-curie-001", "text-babbage-001",
    "text-ada-001", "davinci", "curie", "babbage", "ada", "code-davinci-002", "code-cushman-001",
})


@dataclass
class Prompt:
    """One prompt: its text (empty for token arrays, which the mock cannot decode) and token count."""

    text: str
    tokens: int


@dataclass
class TextChoice:
    """One generated completion choice."""

    index: int
    text: str
    finish_reason: str
    tokens: list[str] = field(default_factory=list)
    prefix: str = ""  # the echoed prompt, part of `text`
    score: float = 0.0
    logprobs: dict[str, Any] | None = None


def check_model(model_id: Any, model: ModelInfo | None) -> None:
    """Raise the real API's 404 for retired and chat models on this endpoint."""
    if isinstance(model_id, str) and model_id in RETIRED:
        raise ModelNotFoundError(
            f"The model `{model_id}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations")
    if model is not None and model.kind != "completion":
        # source: 404, param "model", code null (github.com/microsoft/semantic-kernel/issues/1910)
        raise NotFoundError(
            "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
            param="model")


def prompts(body: dict[str, Any]) -> list[Prompt]:
    """The request's prompts, normalised to one entry per prompt."""
    raw = body.get("prompt")
    if raw is None:
        return [Prompt("<|endoftext|>", 1)]
    if isinstance(raw, str):
        return [Prompt(raw, count_tokens(raw))]
    if raw and all(isinstance(x, int) for x in raw):
        return [Prompt("", len(raw))]
    out = []
    for item in raw:
        out.append(Prompt(item, count_tokens(item)) if isinstance(item, str) else Prompt("", len(item)))
    return out or [Prompt("", 0)]


def check(body: dict[str, Any], model: ModelInfo, items: list[Prompt]) -> None:
    """Raise the 400 the real API would give for parameter combinations and lengths."""
    n, best_of = int(body.get("n") or 1), body.get("best_of")
    if best_of is not None and best_of < n:
        # Kept: documented ("best_of must be greater than n"), and n answers cannot be picked from fewer
        # candidates; the server's wording is not quoted in any public report we found
        raise InvalidRequestError("best_of must be greater than or equal to n.", param="best_of")
    if best_of is not None and best_of > 1 and body.get("stream"):
        # Kept: documented ("Results cannot be streamed"); the server's wording is not quoted publicly
        raise InvalidRequestError("Cannot stream results with best_of greater than 1.", param="best_of")
    if body.get("stream_options") is not None and not body.get("stream"):
        # source: the chat wording, param stream_options, code null (github.com/BerriAI/litellm/issues/5803)
        raise InvalidRequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param="stream_options")
    if body.get("suffix") and not model.id.startswith("gpt-3.5-turbo-instruct"):
        # uncited: the reference says suffix is only supported for gpt-3.5-turbo-instruct; the one observed refusal
        # of suffix was "Unrecognized request argument supplied: suffix", param null (github.com/openai/
        # openai-python/issues/619, before it was enabled there); candidate to align or relax
        raise InvalidRequestError(f"Suffix is not supported for the model `{model.id}`.", param="suffix")
    asked = body.get("max_tokens", DEFAULT_MAX_TOKENS)
    longest = max(p.tokens for p in items)
    if asked is not None and longest + asked > model.context_window:
        # source: the wording (github.com/nicknochnack/LangchainDocuments/issues/2, github.com/LlmKira/Openaibot/issues/11)
        raise ContextLengthExceededError(
            f"This model's maximum context length is {model.context_window} tokens, however you requested "
            f"{longest + asked} tokens ({longest} in your prompt; {asked} for the completion). "
            "Please reduce your prompt; or completion length.", param=None)
    if longest > model.context_window:
        # Kept: a prompt longer than the window cannot be answered (reached only with max_tokens null)
        raise ContextLengthExceededError(
            f"This model's maximum context length is {model.context_window} tokens, however your prompt is {longest} tokens. "
            "Please reduce your prompt.", param=None)


def generate(body: dict[str, Any], items: list[Prompt], model: ModelInfo, digest: str) -> tuple[list[TextChoice], int]:
    """The returned choices (prompt-major) and the completion tokens charged for every candidate."""
    n = int(body.get("n") or 1)
    best_of = max(n, int(body.get("best_of") or n))
    chosen: list[TextChoice] = []
    charged = 0
    for p, prompt in enumerate(items):
        candidates = [_candidate(body, prompt, model, random.Random(f"{digest}:{p}:{k}")) for k in range(best_of)]
        charged += sum(len(c.tokens) for c in candidates)
        best = sorted(candidates, key=lambda c: -c.score)[:n] if best_of > n else candidates
        for k, choice in enumerate(best):
            choice.index = p * n + k
            chosen.append(choice)
    return chosen, charged


def _candidate(body: dict[str, Any], prompt: Prompt, model: ModelInfo, r: random.Random) -> TextChoice:
    limit = body.get("max_tokens", DEFAULT_MAX_TOKENS)
    if limit is None:
        limit = model.context_window - prompt.tokens
    text = reply_text(r, prompt.text)
    text = ("\n\n" if not prompt.text or prompt.text.rstrip()[-1:] in ".?!:" else " ") + text
    finish = "stop"
    stops = body.get("stop")
    stops = [stops] if isinstance(stops, str) else list(stops or [])
    cut = min((text.find(s) for s in stops if s and s in text), default=-1)
    if cut >= 0:
        text = text[:cut]
    tokens = tokenize(text)
    if len(tokens) > limit:
        tokens, finish = tokens[:limit], "length"
    text = "".join(tokens)
    prefix = prompt.text if body.get("echo") else ""
    choice = TextChoice(0, prefix + text, finish, tokens, prefix, score=r.random())
    if body.get("logprobs") is not None:
        choice.logprobs = _logprobs(prompt.text, prefix, tokens, int(body["logprobs"]), r)
    return choice


def use_canned(choices: list[TextChoice], body: dict[str, Any], items: list[Prompt], content: str, finish: str) -> int:
    """Replace every choice's text with a canned reply; return the completion tokens now charged."""
    per_choice = max(1, len(choices) // max(1, len(items)))
    for choice in choices:
        prompt = items[min(choice.index // per_choice, len(items) - 1)]
        choice.tokens, choice.finish_reason = tokenize(content), finish
        choice.text = choice.prefix + content
        if body.get("logprobs") is not None:
            r = random.Random(f"canned:{choice.index}:{content}")
            choice.logprobs = _logprobs(prompt.text, choice.prefix, choice.tokens, int(body["logprobs"]), r)
    return sum(len(c.tokens) for c in choices)


def _logprobs(prompt_text: str, prefix: str, tokens: list[str], top: int, r: random.Random) -> dict[str, Any]:
    """tokens/token_logprobs/top_logprobs/text_offset; echoed prompt tokens come first, the very first unscored."""
    echoed = tokenize(prefix) if prefix else []
    out: dict[str, Any] = {"tokens": [], "token_logprobs": [], "top_logprobs": [], "text_offset": []}
    offset = 0 if prefix else len(prompt_text)
    for k, token in enumerate([*echoed, *tokens]):
        first = prefix and k == 0
        lp = None if first else -round(r.expovariate(6.0), 6)
        out["tokens"].append(token)
        out["token_logprobs"].append(lp)
        out["top_logprobs"].append(None if first else _alternatives(token, lp, top, r))
        out["text_offset"].append(offset)
        offset += len(token)
    return out


def _alternatives(token: str, lp: float, top: int, r: random.Random) -> dict[str, float]:
    """The sampled token first, then ``top - 1`` common tokens with lower logprobs."""
    found = {token: lp}
    current = lp
    candidates = [c for c in _COMMON if c != token]
    start = token_id(token) % len(candidates)
    for k in range(1, max(1, top)):
        current = round(current - r.uniform(0.5, 3.0), 6)
        found[candidates[(start + k) % len(candidates)]] = current
    return found


# Alternatives for top_logprobs: frequent English tokens, as the real lists mostly show.
_COMMON = (" the", " a", " and", " to", " of", ",", ".", " in", " is", " that", " it", " for", "\n", " with", " as", " on")


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    """The legacy usage block."""
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}


def body(head: dict[str, Any], choices: list[TextChoice], prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    """The non-streaming ``text_completion`` body."""
    return {
        **head, "object": "text_completion",
        "choices": [{"text": c.text, "index": c.index, "logprobs": c.logprobs, "finish_reason": c.finish_reason} for c in choices],
        "usage": usage(prompt_tokens, completion_tokens),
    }


def chunks(head: dict[str, Any], choices: list[TextChoice], prompt_tokens: int, completion_tokens: int,
           include_usage: bool) -> Iterator[Event]:
    """Stream events: one chunk per token (choices interleaved), a finish chunk each, then usage if asked."""
    base = {**head, "object": "text_completion"}
    if include_usage:
        base["usage"] = None
    streams = [_pieces(c) for c in choices]
    while streams:
        for stream in list(streams):
            item = next(stream, None)
            if item is None:
                streams.remove(stream)
            else:
                yield Event({**base, "choices": [item]})
    if include_usage:
        yield Event({**base, "choices": [], "usage": usage(prompt_tokens, completion_tokens)})


def _pieces(choice: TextChoice) -> Iterator[dict[str, Any]]:
    lp = choice.logprobs
    pieces = ([choice.prefix] if choice.prefix else []) + choice.tokens
    echoed = len(tokenize(choice.prefix)) if choice.prefix else 0
    start = 0
    for k, piece in enumerate(pieces):
        span = echoed if (choice.prefix and k == 0) else 1
        logprobs = {key: values[start:start + span] for key, values in lp.items()} if lp else None
        start += span
        yield {"text": piece, "index": choice.index, "logprobs": logprobs, "finish_reason": None}
    yield {"text": "", "index": choice.index, "logprobs": None, "finish_reason": choice.finish_reason}


