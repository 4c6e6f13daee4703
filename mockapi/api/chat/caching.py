"""A chat prompt's prefixes for the prompt cache (mockapi/core/prompt_cache.py), cut where its usage counts them.

The rendered prompt starts with what the server puts in front of the conversation (tools, the response
format's schema: "tools ... and structured output schemas can be cached"), then each message, part by part.
A boundary follows every content part and every message, at the running count of
:meth:`ChatRequest.prompt_ends`, so prefixes add up to ``prompt_tokens``: the longest is the whole prompt but
the 3 tokens that prime the reply (a repeated gpt-5.6 prompt of 7,540 tokens wrote 7,537: BerriAI/litellm#37628).
"""

from __future__ import annotations

from typing import Any

from mockapi.core import prompt_cache
from mockapi.core.catalog import ModelInfo
from mockapi.core.jsonutil import canonical_json

from .request import ChatRequest

_TURNS = ("user", "tool", "function")  # the implicit breakpoint sits at "the latest user or tool message"
_REPLY_PRIMING = 3  # the tokens ChatRequest counts before the first message, for the reply's header


def settle(call: Any, request: ChatRequest, model: ModelInfo) -> prompt_cache.CacheUse:
    """Read and write this prompt's prefixes in the cache; what it read and wrote."""
    return prompt_cache.settle(call.store, call.tenant, call.clock.now(), model, call.body, prefixes(request))


def prefixes(request: ChatRequest) -> prompt_cache.Prefixes:
    """Every prefix of the prompt, with its tokens and digest."""
    body = request.body
    ends = request.prompt_ends()
    header = request.prompt_tokens() - (ends[-1] if ends else _REPLY_PRIMING)  # the tool definitions
    found = prompt_cache.Prefixes(b"chat\x1f" + canonical_json([body.get("tools"), body.get("functions"), body.get("response_format")]))
    if header:
        found.mark(header)
    at = iter(ends)
    for message in request.messages:
        role = str(message.get("role"))
        found.feed(b"\x1erole:" + role.encode())
        content = message.get("content")
        if isinstance(content, list):
            for part in content:
                if isinstance(part, dict):
                    found.feed(_rendered(part))
                    found.mark(header + next(at) - _REPLY_PRIMING, part.get("prompt_cache_breakpoint"))
        elif isinstance(content, str):
            found.feed(b"\x1etext:" + content.encode())
        extras = {k: v for k, v in message.items() if k not in ("role", "content")}
        if extras:  # name, tool calls, the id a tool result answers
            found.feed(b"\x1emeta:" + canonical_json(extras))
        found.mark(header + next(at) - _REPLY_PRIMING, turn=role in _TURNS)
    return found


def _rendered(part: dict[str, Any]) -> bytes:
    """A content part as the prompt renders it: a breakpoint marks where a prefix ends, it is no part of it."""
    text = part.get("text")
    if part.get("type") == "text" and isinstance(text, str):
        return b"\x1etext:" + text.encode()  # the same bytes as a string content: the same rendered text
    return b"\x1epart:" + canonical_json({k: v for k, v in part.items() if k != "prompt_cache_breakpoint"})
