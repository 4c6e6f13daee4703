"""Chat choices rendered as a ``chat.completion`` body or as ``chat.completion.chunk`` events."""

from __future__ import annotations

import itertools
import random
from typing import Any, Iterator

from mockapi.content.tools import split_fragments
from mockapi.core import sse
from mockapi.core.prompt_cache import CacheUse

from . import audio as chat_audio
from .generate import Choice

_NO_CACHE = CacheUse()


def usage(prompt_tokens: int, choices: list[Choice], reasoning_tokens: int = 0, cache: CacheUse = _NO_CACHE) -> dict[str, Any]:
    """Usage: completion tokens (reasoning included) summed over choices, total = prompt + completion."""
    completion = sum(c.completion_tokens for c in choices) + reasoning_tokens
    accepted = rejected = 0  # Predicted Outputs' counts, 0 without a prediction: a plain loop costs no call
    for choice in choices:
        accepted, rejected = accepted + choice.accepted_prediction_tokens, rejected + choice.rejected_prediction_tokens
    # gpt-5.6 and later report cache writes between the two (openai/openai-dotnet#1247 quotes a raw body:
    # {"cached_tokens": 0, "cache_write_tokens": 9654, "audio_tokens": 0}); earlier models leave it out.
    details = ({"cached_tokens": cache.cached, "audio_tokens": 0} if cache.written is None
               else {"cached_tokens": cache.cached, "cache_write_tokens": cache.written, "audio_tokens": 0})
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
        "prompt_tokens_details": details,
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens, "audio_tokens": sum(c.audio_tokens for c in choices),
                                      "accepted_prediction_tokens": accepted, "rejected_prediction_tokens": rejected},
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


def completion(head: dict[str, Any], choices: list[Choice], prompt_tokens: int, reasoning_tokens: int = 0,
               cache: CacheUse = _NO_CACHE) -> dict[str, Any]:
    """The non-streaming ``chat.completion`` body."""
    return {
        **head,
        "object": "chat.completion",
        "choices": [
            {"index": c.index, "message": message(c), "logprobs": {"content": c.logprobs, "refusal": None} if c.logprobs is not None else None,
             "finish_reason": c.finish_reason}
            for c in choices
        ],
        "usage": usage(prompt_tokens, choices, reasoning_tokens, cache),
    }


def chunks(head: dict[str, Any], choices: list[Choice], prompt_tokens: int, *, include_usage: bool,
           r: random.Random, reasoning_tokens: int = 0, pads: Iterator[bytes] | None = None,
           cache: CacheUse = _NO_CACHE) -> sse.Framed:
    """The chunk events as SSE frames: role first, deltas, a finish chunk per choice, then the usage chunk.

    Every chunk repeats the same head (id, created, model, fingerprint): it is encoded once, in a
    template, and each frame encodes only its choice (see :class:`mockapi.core.sse.Template`).
    ``pads``: each chunk's ``obfuscation`` padding (:func:`mockapi.core.sse.paddings`); None leaves it out.
    """
    base = {**head, "object": "chat.completion.chunk"}
    if include_usage:
        base["usage"] = None
    streams = [_choice_frames(c, r, base, pads) for c in choices]
    frames = streams[0] if len(streams) == 1 else _interleaved(streams)
    return sse.Framed(itertools.chain(frames, _usage_chunk(base, prompt_tokens, choices, reasoning_tokens, pads, cache) if include_usage else ()))


def _usage_chunk(base: dict[str, Any], prompt_tokens: int, choices: list[Choice], reasoning_tokens: int,
                 pads: Iterator[bytes] | None, cache: CacheUse) -> Iterator[bytes]:
    """The last chunk of a stream that asked for usage: no choices, the usage (made once the choices' are sent)."""
    last = {**base, "choices": [], "usage": usage(prompt_tokens, choices, reasoning_tokens, cache)}
    if pads is not None:
        last["obfuscation"] = next(pads).decode()
    yield sse.frame(last)


def _interleaved(streams: list[Iterator[bytes]]) -> Iterator[bytes]:
    """Choices take turns, one chunk each, as the real API does for n > 1."""
    while streams:
        for stream in list(streams):
            item = next(stream, None)
            if item is None:
                streams.remove(stream)
                continue
            yield item


def _choice_frames(choice: Choice, r: random.Random, base: dict[str, Any], pads: Iterator[bytes] | None) -> Iterator[bytes]:
    """One choice's chunks, encoded (the seeded fragments are cut as each part is reached, as before)."""
    i = choice.index
    padded = {"obfuscation": sse.PAD} if pads is not None else {}  # the real chunk's last field
    one = sse.Template({**base, "choices": [sse.HOLE], **padded}, pads=pads)

    def chunk(delta: dict[str, Any], finish: str | None = None, logprobs: Any = None) -> bytes:
        return one.frame({"index": i, "delta": delta, "logprobs": logprobs, "finish_reason": finish})

    yield chunk({"role": "assistant", "content": "" if choice.content is not None or not (choice.tool_calls or choice.function_call or choice.audio) else None,
                 "refusal": None})
    if choice.refusal:
        for piece in split_fragments(choice.refusal, r, 3, 12):
            yield chunk({"refusal": piece})
    if choice.audio:
        for delta in chat_audio.deltas(choice.audio, choice.tokens):
            yield chunk(delta)
        yield chunk({}, choice.finish_reason)
        return
    if choice.logprobs is None:  # the bulk of a stream: one frame per token, only the token encoded
        content = sse.Template({**base, "choices": [{"index": i, "delta": {"content": sse.HOLE}, "logprobs": None, "finish_reason": None}],
                                **padded}, pads=pads)
        yield from content.frames(choice.tokens)
    else:
        for k, token in enumerate(choice.tokens):
            yield chunk({"content": token}, None, {"content": [choice.logprobs[k]], "refusal": None})
    if choice.annotations:
        yield chunk({"annotations": choice.annotations})
    for index, call in enumerate(choice.tool_calls):
        if call["type"] == "custom":
            yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "custom", "custom": {"name": call["custom"]["name"], "input": ""}}]})
            for piece in split_fragments(call["custom"]["input"], r):
                yield chunk({"tool_calls": [{"index": index, "custom": {"input": piece}}]})
            continue
        fn = call["function"]
        yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function", "function": {"name": fn["name"], "arguments": ""}}]})
        for piece in split_fragments(fn["arguments"], r):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    if choice.function_call:
        yield chunk({"function_call": {"name": choice.function_call["name"], "arguments": ""}})
        for piece in split_fragments(choice.function_call["arguments"], r):
            yield chunk({"function_call": {"arguments": piece}})
    yield chunk({}, choice.finish_reason)
