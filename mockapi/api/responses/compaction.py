"""``/responses/compact`` and ``/responses/input_tokens``: a conversation's size, and its compacted form."""

from __future__ import annotations

import base64
from typing import Any

from mockapi.core.determinism import make_id
from mockapi.core.tokenizer import count_value_tokens

from .build import usage
from .request import item_tokens, normalise
from .state import State


def context_items(state: State, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item the request's context holds: its chain or conversation, then its ``input``."""
    items: list[dict[str, Any]] = []
    if body.get("previous_response_id"):
        items += state.chain(body["previous_response_id"])
    conversation = body.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else conversation
    if conversation_id:
        state.conversation(conversation_id, param="conversation")
        items += state.conversation_items(conversation_id)
    given = body.get("input")
    if isinstance(given, str):
        items.append({"type": "message", "role": "user", "content": given})
    elif isinstance(given, list):
        items += [normalise(i) for i in given if isinstance(i, dict)]
    return items


def input_tokens(state: State, body: dict[str, Any]) -> dict[str, Any]:
    """The input tokens a ``POST /responses`` with this body would be charged."""
    total = item_tokens(context_items(state, body))
    total += count_value_tokens(body.get("instructions")) + count_value_tokens(body.get("tools"))
    return {"object": "response.input_tokens", "input_tokens": total}


def compact(state: State, body: dict[str, Any], digest: str, created_at: int) -> dict[str, Any]:
    """The compacted context: one opaque compaction item that stands for it.

    The real API also lists the user's messages before that item, but the SDK's output item union has
    no shape for an input message, so the contract (the SDK's types) keeps the compaction item alone.
    """
    items = context_items(state, body)
    opaque = base64.b64encode(f"mockapi-compaction:{digest}:{len(items)}".encode()).decode()
    used = item_tokens(items)
    out = max(1, used // 10)
    return {
        "id": make_id("resp_", digest, "compact"), "object": "response.compaction", "created_at": created_at,
        "output": [{"type": "compaction", "id": make_id("cmp_", digest), "encrypted_content": opaque}],
        "usage": usage(used, out),
    }
