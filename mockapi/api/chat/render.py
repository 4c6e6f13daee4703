"""Chat choices rendered as a ``chat.completion`` body or as ``chat.completion.chunk`` events."""

from __future__ import annotations

import random
from typing import Any, Iterator

from mockapi.content.tools import split_fragments
from mockapi.core.results import Event

from . import audio as chat_audio
from .generate import Choice


def usage(prompt_tokens: int, choices: list[Choice], reasoning_tokens: int = 0) -> dict[str, Any]:
    """Usage: completion tokens (reasoning included) summed over choices, total = prompt + completion."""
    completion = sum(c.completion_tokens for c in choices) + reasoning_tokens
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens, "audio_tokens": sum(c.audio_tokens for c in choices),
                                      "accepted_prediction_tokens": 0,
                                      "rejected_prediction_tokens": 0},
    }


def message(choice: Choice) -> dict[str, Any]:
    """The assistant message of a choice."""
    msg: dict[str, Any] = {"role": "assistant", "content": choice.content, "refusal": choice.refusal, "annotations": choice.annotations}
    if choice.tool_calls:
        msg["tool_calls"] = choice.tool_calls
    if choice.function_call:
        msg["function_call"] = choice.function_call
    if choice.audio:
        msg["audio"] = choice.audio
    return msg


def completion(head: dict[str, Any], choices: list[Choice], prompt_tokens: int, reasoning_tokens: int = 0) -> dict[str, Any]:
    """The non-streaming ``chat.completion`` body."""
    return {
        **head,
        "object": "chat.completion",
        "choices": [
            {"index": c.index, "message": message(c), "logprobs": {"content": c.logprobs, "refusal": None} if c.logprobs is not None else None,
             "finish_reason": c.finish_reason}
            for c in choices
        ],
        "usage": usage(prompt_tokens, choices, reasoning_tokens),
    }


def chunks(head: dict[str, Any], choices: list[Choice], prompt_tokens: int, *, include_usage: bool,
           r: random.Random, reasoning_tokens: int = 0) -> Iterator[Event]:
    """The chunk events: role first, deltas, a finish chunk per choice, then the usage chunk."""
    base = {**head, "object": "chat.completion.chunk"}
    if include_usage:
        base["usage"] = None

    def chunk(choice_index: int, delta: dict[str, Any], finish: str | None = None, logprobs: Any = None) -> Event:
        return Event({**base, "choices": [{"index": choice_index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}]})

    streams = [_choice_deltas(c, r) for c in choices]
    # Choices are interleaved, as the real API does for n > 1.
    while streams:
        for stream in list(streams):
            item = next(stream, None)
            if item is None:
                streams.remove(stream)
                continue
            yield chunk(*item)
    if include_usage:
        yield Event({**base, "choices": [], "usage": usage(prompt_tokens, choices, reasoning_tokens)})


def _choice_deltas(choice: Choice, r: random.Random) -> Iterator[tuple[int, dict[str, Any], str | None, Any]]:
    i = choice.index
    first: dict[str, Any] = {"role": "assistant", "content": "" if choice.content is not None or not (choice.tool_calls or choice.function_call or choice.audio) else None,
                             "refusal": None}
    yield i, first, None, None
    if choice.refusal:
        for piece in split_fragments(choice.refusal, r, 3, 12):
            yield i, {"refusal": piece}, None, None
    if choice.audio:
        for delta in chat_audio.deltas(choice.audio, choice.tokens):
            yield i, delta, None, None
        yield i, {}, choice.finish_reason, None
        return
    for k, token in enumerate(choice.tokens):
        logprobs = {"content": [choice.logprobs[k]], "refusal": None} if choice.logprobs is not None else None
        yield i, {"content": token}, None, logprobs
    if choice.annotations:
        yield i, {"annotations": choice.annotations}, None, None
    for index, call in enumerate(choice.tool_calls):
        if call["type"] == "custom":
            yield i, {"tool_calls": [{"index": index, "id": call["id"], "type": "custom", "custom": {"name": call["custom"]["name"], "input": ""}}]}, None, None
            for piece in split_fragments(call["custom"]["input"], r):
                yield i, {"tool_calls": [{"index": index, "custom": {"input": piece}}]}, None, None
            continue
        fn = call["function"]
        yield i, {"tool_calls": [{"index": index, "id": call["id"], "type": "function", "function": {"name": fn["name"], "arguments": ""}}]}, None, None
        for piece in split_fragments(fn["arguments"], r):
            yield i, {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}, None, None
    if choice.function_call:
        yield i, {"function_call": {"name": choice.function_call["name"], "arguments": ""}}, None, None
        for piece in split_fragments(choice.function_call["arguments"], r):
            yield i, {"function_call": {"arguments": piece}}, None, None
    yield i, {}, choice.finish_reason, None
