"""The ``response`` object: the request's settings echoed, the output, status and usage."""

from __future__ import annotations

from typing import Any

from mockapi.core.prompt_cache import CacheUse
from mockapi.core.tokenizer import count_tokens, count_value_tokens

from .generate import Outcome
from .request import ResponsesRequest, function_strict, item_tokens


def head(request: ResponsesRequest, response_id: str, created_at: int, *, conversation_id: str | None,
         default_effort: str | None = None) -> dict[str, Any]:
    """Every field but the output: what the request asked for, as the real API echoes it."""
    get = request.body.get
    reasoning = get("reasoning") or {}
    service_tier = get("service_tier")
    strict_at = request.strict_at
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": "in_progress",
        "background": bool(get("background")),
        "completed_at": None,
        "error": None,
        "incomplete_details": None,
        "instructions": get("instructions"),
        "max_output_tokens": get("max_output_tokens"),
        "max_tool_calls": get("max_tool_calls"),
        "model": request.model,
        "output": [],
        "parallel_tool_calls": get("parallel_tool_calls", True) is not False,
        "previous_response_id": get("previous_response_id"),
        "conversation": {"id": conversation_id} if conversation_id else None,
        "prompt_cache_key": get("prompt_cache_key"),
        "reasoning": {"effort": reasoning.get("effort") or default_effort, "summary": reasoning.get("summary")},
        "safety_identifier": get("safety_identifier"),
        "service_tier": service_tier if service_tier in ("flex", "scale", "priority") else "default",
        "store": get("store", True) is not False,
        "temperature": get("temperature", 1.0),
        "text": {"format": request.text_format(), "verbosity": (get("text") or {}).get("verbosity") or "medium"},
        "tool_choice": get("tool_choice") or "auto",
        "tools": [_tool_echo(t, strict_at.get(i)) for i, t in enumerate(get("tools") or [])],
        "top_logprobs": get("top_logprobs", 0),
        "top_p": get("top_p", 1.0),
        "truncation": get("truncation") or "disabled",
        "usage": None,
        "user": get("user"),
        "metadata": get("metadata") or {},
        **({"prompt": get("prompt")} if get("prompt") else {}),  # the stored prompt it used, as it was referenced
    }


def _tool_echo(tool: dict[str, Any], strict: bool | None) -> dict[str, Any]:
    """A tool as the response lists it (functions gain ``description: null`` when it was left out, and the
    strictness the server settled on when ``strict`` was)."""
    if tool.get("type") == "function":
        return {"description": None, **tool, "strict": function_strict(tool) if strict is None else strict}
    return dict(tool)


def input_tokens(request: ResponsesRequest, context: list[dict[str, Any]], ends: list[int] | None = None) -> int:
    """Input tokens: instructions, every context item and the tool definitions (``ends``: see :func:`item_tokens`)."""
    total = item_tokens(context, ends)
    if isinstance(request.body.get("instructions"), str):
        total += 4 + count_tokens(request.body["instructions"])
    total += request.tool_tokens
    fmt = request.format_spec()
    if fmt.get("type") == "json_schema":
        total += count_value_tokens(fmt.get("schema"))
    return total


_NO_CACHE = CacheUse()


def finish(response: dict[str, Any], outcome: Outcome, prompt_tokens: int, completed_at: int,
           cache: CacheUse = _NO_CACHE) -> dict[str, Any]:
    """The response (a fresh :func:`head`, completed in place: no copy of its fields) with its output, final status and usage."""
    done = response
    done.update(output=outcome.output, status=outcome.status, error=outcome.error)
    if outcome.status == "incomplete":
        done["incomplete_details"] = {"reason": outcome.incomplete_reason}
    elif outcome.status == "completed":
        done["completed_at"] = completed_at
    done["usage"] = usage(prompt_tokens, outcome.output_tokens, outcome.reasoning_tokens, cache)
    return done


def usage(input_tokens: int, output_tokens: int, reasoning_tokens: int = 0, cache: CacheUse = _NO_CACHE) -> dict[str, Any]:
    """A Responses ``usage`` object (``cache_write_tokens`` is required by the SDK's type: 0 where writes go unreported)."""
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cache.cached, "cache_write_tokens": cache.written or 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def pending(response: dict[str, Any], status: str) -> dict[str, Any]:
    """A background response before it finishes (``queued``/``in_progress``) or after ``cancelled``."""
    return {**response, "status": status, "output": [], "usage": None, "completed_at": None, "incomplete_details": None}
