"""A Responses context's prefixes for the prompt cache (mockapi/core/prompt_cache.py), cut where its usage counts them.

The rendered input starts with what comes before the conversation (tools, the text format's schema, the
``instructions``), then every context item (the chain's or conversation's, then this request's), part by
part. A boundary follows every content part and every item, at the running count of
:func:`~.request.item_tokens`, so prefixes add up to ``input_tokens``. Ids and statuses are not rendered:
an item replayed with or without its id is the same prefix.
"""

from __future__ import annotations

from typing import Any

from mockapi.core import prompt_cache
from mockapi.core.catalog import ModelInfo
from mockapi.core.jsonutil import canonical_json

from .request import OUTPUT_TYPES, ResponsesRequest

_TEXT_PARTS = ("input_text", "output_text", "text")
_UNRENDERED = ("id", "status")


def settle(call: Any, request: ResponsesRequest, model: ModelInfo, context: list[dict[str, Any]],
           input_tokens: int, ends: list[int]) -> prompt_cache.CacheUse:
    """Read and write this input's prefixes in the cache (``ends`` from :func:`~.build.input_tokens`)."""
    return prompt_cache.settle(call.store, call.tenant, call.clock.now(), model, call.body,
                               prefixes(request, context, input_tokens, ends))


def prefixes(request: ResponsesRequest, context: list[dict[str, Any]], input_tokens: int, ends: list[int]) -> prompt_cache.Prefixes:
    """Every prefix of the input, with its tokens and digest."""
    body = request.body
    header = input_tokens - (ends[-1] if ends else 0)  # instructions, tools and the schema
    found = prompt_cache.Prefixes(b"responses\x1f" + canonical_json([body.get("tools"), body.get("instructions"), dict(request.format_spec())]))
    if header:
        found.mark(header)
    at = iter(ends)
    for item in context:
        kind, role = str(item.get("type")), str(item.get("role"))
        found.feed(f"\x1eitem:{kind}:{role}".encode())
        turn = role == "user" or kind in OUTPUT_TYPES  # the implicit breakpoint: "the latest user or tool message"
        content = item.get("content")
        breakpoint = None
        if isinstance(content, str):
            found.feed(b"\x1etext:" + content.encode())
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict):
                    found.feed(_rendered(part))
                    found.mark(header + next(at), part.get("prompt_cache_breakpoint"))
        else:  # a tool call or output: all it carries, a breakpoint on a part of its output marking the item's end
            output = item.get("output")
            parts = [p for p in output if isinstance(p, dict)] if isinstance(output, list) else []
            breakpoint = next((p["prompt_cache_breakpoint"] for p in reversed(parts) if p.get("prompt_cache_breakpoint")), None)
            shown = {k: v for k, v in item.items() if k not in _UNRENDERED}
            if parts:
                shown["output"] = [_unmarked(p) if isinstance(p, dict) else p for p in output or ()]
            found.feed(b"\x1eitem:" + canonical_json(shown))
        found.mark(header + next(at), breakpoint, turn=turn)
    return found


def _rendered(part: dict[str, Any]) -> bytes:
    """A content part as the input renders it: the text of a text part, anything else whole but its breakpoint."""
    text = part.get("text")
    if part.get("type") in _TEXT_PARTS and isinstance(text, str):
        return b"\x1etext:" + text.encode()  # the same bytes as a string content: the same rendered text
    return b"\x1epart:" + canonical_json(_unmarked(part))


def _unmarked(part: dict[str, Any]) -> dict[str, Any]:
    """A part without its ``prompt_cache_breakpoint``: a breakpoint marks where a prefix ends, it is no part of it."""
    return {k: v for k, v in part.items() if k != "prompt_cache_breakpoint"} if "prompt_cache_breakpoint" in part else part
