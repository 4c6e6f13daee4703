"""Conversation state kept in the store: responses with their input items, chains, and conversations.

A stored response record holds the public body, the turn's own input items, its parent id and,
for a background response, when it becomes ready. A chain is rebuilt by walking parents, so
two responses branching from one parent each see only their own ancestors.
"""

from __future__ import annotations

from typing import Any

from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.store import Store

RESPONSE = "response"
ITEM = "response.item"  # every stored input and output item by id, for item_reference
DROPPED = "response.unstored"  # ids of store:false responses, so a later reference can say why it fails
# A ring of slots, each naming one store:false response's remembered ids: a new one takes the oldest slot
# and that response's ids are forgotten, so at most `limits.max_unstored_responses` are kept per tenant.
DROPPED_SLOT = "response.unstored.slot"
CONVERSATION = "conversation"
_SEQUENCE_TTL = 10.0 ** 9


def items_kind(conversation_id: str) -> str:
    """The store kind of one conversation's items."""
    return f"conversation.item:{conversation_id}"


class State:
    """One tenant's responses and conversations."""

    def __init__(self, store: Store, tenant: str) -> None:
        self.store = store
        self.tenant = tenant

    # -- responses ---------------------------------------------------------------------------
    def record(self, response_id: str) -> dict[str, Any] | None:
        """The stored record of a response, or None."""
        return self.store.get(self.tenant, RESPONSE, response_id)

    def require(self, response_id: str) -> dict[str, Any]:
        """The stored record, or the real API's 404."""
        found = self.record(response_id)
        if found is None:
            raise NotFoundError(f"Response with id '{response_id}' not found.", param="response_id")
        return found

    def save(self, record: dict[str, Any]) -> None:
        """Store (or replace) a response record, indexing its items by id."""
        self.store.put(self.tenant, RESPONSE, record["response"]["id"], record)
        for item in record.get("input_items", []) + (record.get("final") or record["response"]).get("output", []):
            self.store.put(self.tenant, ITEM, item["id"], item)

    def item(self, item_id: str) -> dict[str, Any] | None:
        """A stored input or output item, or None."""
        return self.store.get(self.tenant, ITEM, item_id)

    def forget(self, response_id: str) -> bool:
        """Delete a stored response."""
        return self.store.delete(self.tenant, RESPONSE, response_id)

    def note_unstored(self, response: dict[str, Any], cap: int) -> None:
        """Remember the ids of a ``store: false`` response and its reasoning items (nothing else of it is kept).

        Only the ``cap`` latest such responses are remembered: an older one's ids are forgotten, after which a
        reference to it gets the 404 / 400 any unknown id gets, without the hint that it was not stored.
        """
        ids = [response["id"], *(i["id"] for i in response.get("output", []) if i.get("type") == "reasoning" and i.get("id"))]
        slot = str(self.next_number("unstored") % cap)
        oldest = self.store.get(self.tenant, DROPPED_SLOT, slot)
        for object_id in (oldest or {}).get("ids", []):
            self.store.delete(self.tenant, DROPPED, object_id)
        self.store.put(self.tenant, DROPPED_SLOT, slot, {"id": slot, "ids": ids})
        for object_id in ids:
            self.store.put(self.tenant, DROPPED, object_id, {"id": object_id})

    def check_items_stored(self, items: list[dict[str, Any]], store: bool = True) -> None:
        """The real API's 404 for a reasoning item sent back by id alone that the server did not keep.

        That is one from a ``store: false`` response, or, in a ``store: false`` request, one the server
        never stored. Only reasoning is looked up by id: the reports of this error all name an ``rs_`` item
        (continuedev/continue#9101, anomalyco/opencode#7724, openai/openai-agents-js#546). One that
        carries its ``encrypted_content`` is the stateless way to replay it, and messages and function
        calls replayed from ``response.output`` carry their content (reasoning guide, "encrypted
        reasoning items": ``context += response.output`` with ``store=False``).

        source: "404 Item with id 'rs_…' not found. Items are not persisted when `store` is set to false. Try
        again with `store` set to true, or remove this item from your input." (github.com/can1357/oh-my-pi/issues/41,
        2026-02; "Responses API will 404 if it sees input ids that it didn't store": jrkropp/open-webui-developer-toolkit#714),
        with "type": "invalid_request_error", "param": "input" (continuedev/continue#9101, 2025-12).
        """
        for item in items:
            if item.get("type") != "reasoning" or item.get("encrypted_content") or not item.get("id"):
                continue
            dropped = self.store.get(self.tenant, DROPPED, item["id"]) is not None
            if dropped or (not store and self.item(item["id"]) is None):
                raise NotFoundError(
                    f"Item with id '{item['id']}' not found. Items are not persisted when `store` is set to false. "
                    "Try again with `store` set to true, or remove this item from your input.", param="input")

    def chain(self, previous_id: str) -> list[dict[str, Any]]:
        """The items a follow-up of ``previous_id`` sees: every ancestor's input and output, oldest first."""
        records: list[dict[str, Any]] = []
        current: str | None = previous_id
        while current:
            record = self.record(current)
            if record is None:
                if current == previous_id:
                    why = (" It was created with store=false, so it cannot be continued; send the earlier items in 'input' instead."
                           if self.store.get(self.tenant, DROPPED, current) else "")
                    raise InvalidRequestError(f"Previous response with id '{current}' not found.{why}",
                                              param="previous_response_id", code="previous_response_not_found")
                break  # an ancestor deleted after its child was made: the chain ends there
            records.append(record)
            current = record.get("parent")
        items: list[dict[str, Any]] = []
        for index in range(len(records) - 1, -1, -1):  # not reversed(): mypyc 2.4 fails to compile it here
            record = records[index]
            items += record.get("input_items", [])
            items += (record.get("final") or record["response"]).get("output", [])
        return items

    # -- conversations -----------------------------------------------------------------------
    def next_number(self, name: str) -> int:
        """A per-tenant sequence number (ids of objects whose bodies may repeat)."""
        return self.store.incr(f"{self.tenant}:seq:{name}", 1, _SEQUENCE_TTL)

    def conversation(self, conversation_id: str, param: str = "conversation_id") -> dict[str, Any]:
        """A stored conversation, or 404."""
        found = self.store.get(self.tenant, CONVERSATION, conversation_id)
        if found is None:
            raise NotFoundError(f"Conversation with id '{conversation_id}' not found.", param=param)
        return found

    def put_conversation(self, conversation: dict[str, Any]) -> None:
        """Create or replace a conversation."""
        self.store.put(self.tenant, CONVERSATION, conversation["id"], conversation)

    def drop_conversation(self, conversation_id: str) -> None:
        """Delete a conversation and its items."""
        self.store.delete(self.tenant, CONVERSATION, conversation_id)
        for item in self.store.list(self.tenant, items_kind(conversation_id)):
            self.store.delete(self.tenant, items_kind(conversation_id), item["id"])

    def conversation_items(self, conversation_id: str) -> list[dict[str, Any]]:
        """A conversation's items, oldest first."""
        return self.store.list(self.tenant, items_kind(conversation_id))

    def add_items(self, conversation_id: str, items: list[dict[str, Any]]) -> None:
        """Append items (each already has its id) to a conversation."""
        if self.store.count(self.tenant, items_kind(conversation_id)) + len(items) > 10_000:
            raise InvalidRequestError("A conversation can hold at most 10000 items.", param="items")
        for item in items:
            self.store.put(self.tenant, items_kind(conversation_id), item["id"], item)

    def conversation_item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        """One item of a conversation, or 404."""
        found = self.store.get(self.tenant, items_kind(conversation_id), item_id)
        if found is None:
            raise NotFoundError(f"Item with id '{item_id}' not found in conversation '{conversation_id}'.", param="item_id")
        return found

    def drop_item(self, conversation_id: str, item_id: str) -> None:
        """Delete one conversation item (404 when missing)."""
        self.conversation_item(conversation_id, item_id)
        self.store.delete(self.tenant, items_kind(conversation_id), item_id)
