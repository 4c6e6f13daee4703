"""The Conversations API: conversations and their items (the state the ``conversation`` parameter uses)."""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import HEX, make_id
from mockapi.core.engine import Call
from mockapi.core.pagination import paginate_stored

from ..responses.items import listed, resolve_references
from ..responses.request import normalise
from ..responses.state import State, items_kind


def _state(call: Call) -> State:
    return State(call.store, call.tenant)


def _resolved(state: State, raw: list[dict[str, Any]], conversation_id: str | None = None) -> list[dict[str, Any]]:
    kind = items_kind(conversation_id) if conversation_id else None

    def in_conversation(item_id: str) -> bool:  # one lookup, not the whole conversation read for every append
        return kind is not None and state.store.get(state.tenant, kind, item_id) is not None

    return resolve_references([normalise(i) for i in raw], [], state.item, where="items", in_context=in_conversation)


def _add(state: State, conversation_id: str, resolved: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for item in resolved:
        n = state.next_number(f"conversation.item:{conversation_id}")
        items.append(listed(item, lambda prefix, n=n: make_id(prefix, conversation_id, n, length=50, alphabet=HEX)))
    state.add_items(conversation_id, items)
    return items


def create_conversation(call: Call) -> dict[str, Any]:
    """``POST /v1/conversations``, with optional first items."""
    state = _state(call)
    resolved = _resolved(state, list(call.body.get("items") or []))
    n = state.next_number("conversation")
    conversation = {"id": make_id("conv_", call.seed, call.tenant, n, length=48, alphabet=HEX), "object": "conversation",
                    "created_at": call.clock.timestamp(), "metadata": call.body.get("metadata") or {}}
    state.put_conversation(conversation)
    _add(state, conversation["id"], resolved)
    return conversation


def get_conversation(call: Call) -> dict[str, Any]:
    """``GET /v1/conversations/{id}``."""
    return _state(call).conversation(call.path_params["conversation_id"])


def update_conversation(call: Call) -> dict[str, Any]:
    """``POST /v1/conversations/{id}``: replace the metadata."""
    state = _state(call)
    conversation = {**state.conversation(call.path_params["conversation_id"]), "metadata": call.body.get("metadata") or {}}
    state.put_conversation(conversation)
    return conversation


def delete_conversation(call: Call) -> dict[str, Any]:
    """``DELETE /v1/conversations/{id}`` (its items go with it)."""
    state = _state(call)
    conversation = state.conversation(call.path_params["conversation_id"])
    state.drop_conversation(conversation["id"])
    return {"id": conversation["id"], "object": "conversation.deleted", "deleted": True}


def create_items(call: Call) -> dict[str, Any]:
    """``POST /v1/conversations/{id}/items``: append up to 20 items, returned as a list."""
    state = _state(call)
    conversation = state.conversation(call.path_params["conversation_id"])
    items = _add(state, conversation["id"], _resolved(state, list(call.body.get("items") or []), conversation["id"]))
    return {"object": "list", "data": items, "first_id": items[0]["id"] if items else "", "last_id": items[-1]["id"] if items else "",
            "has_more": False}


def list_items(call: Call) -> dict[str, Any]:
    """``GET /v1/conversations/{id}/items``: newest first by default."""
    state = _state(call)
    conversation = state.conversation(call.path_params["conversation_id"])
    return paginate_stored(call.store, call.tenant, items_kind(conversation["id"]), call.query, default_order="desc",
                           cursor_kind="item")


def get_item(call: Call) -> dict[str, Any]:
    """``GET /v1/conversations/{id}/items/{item_id}``."""
    state = _state(call)
    conversation = state.conversation(call.path_params["conversation_id"])
    return state.conversation_item(conversation["id"], call.path_params["item_id"])


def delete_item(call: Call) -> dict[str, Any]:
    """``DELETE /v1/conversations/{id}/items/{item_id}``: returns the conversation."""
    state = _state(call)
    conversation = state.conversation(call.path_params["conversation_id"])
    state.drop_item(conversation["id"], call.path_params["item_id"])
    return conversation


HANDLERS = {
    "createConversation": create_conversation,
    "getConversation": get_conversation,
    "updateConversation": update_conversation,
    "deleteConversation": delete_conversation,
    "createConversationItems": create_items,
    "listConversationItems": list_items,
    "getConversationItem": get_item,
    "deleteConversationItem": delete_item,
}
