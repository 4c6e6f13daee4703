"""The Conversations API and the ``conversation`` parameter of Responses (seed-inventory E2, §2.8)."""

from __future__ import annotations

import openai
import pytest
from test_responses import ALICE, create, error_of


def test_conversation_crud(mock):
    conv = mock.client.conversations.create(metadata={"topic": "demo"})
    mock.validate("createConversation", conv)
    assert conv.id.startswith("conv_") and conv.object == "conversation" and conv.metadata == {"topic": "demo"}
    assert conv.created_at == 1_750_000_000
    other = mock.client.conversations.create()
    assert other.id != conv.id  # identical bodies still give distinct conversations
    got = mock.client.conversations.retrieve(conv.id)
    mock.validate("getConversation", got)
    assert got == conv
    updated = mock.client.conversations.update(conv.id, metadata={"topic": "changed"})
    mock.validate("updateConversation", updated)
    assert updated.metadata == {"topic": "changed"}
    deleted = mock.client.conversations.delete(conv.id)
    mock.validate("deleteConversation", deleted)
    assert deleted.deleted is True and deleted.object == "conversation.deleted"
    with pytest.raises(openai.NotFoundError):
        mock.client.conversations.retrieve(conv.id)


def test_items_create_list_retrieve_delete(mock):
    conv = mock.client.conversations.create(items=[{"type": "message", "role": "user", "content": "Hello!"}])
    added = mock.client.conversations.items.create(conv.id, items=[
        {"type": "message", "role": "assistant", "content": "Hi, how can I help?"},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Tell me a fact."}]},
    ])
    mock.validate("createConversationItems", added)
    assert [i.role for i in added.data] == ["assistant", "user"] and added.first_id == added.data[0].id
    page = mock.client.conversations.items.list(conv.id, limit=2)
    for item in page.data:
        mock.validate("listConversationItems", {"object": "list", "data": [item.model_dump(mode="json", exclude_unset=True)]})
    assert [i.role for i in page.data] == ["user", "assistant"] and page.has_more  # newest first
    every = [i.role for i in mock.client.conversations.items.list(conv.id, order="asc", limit=1)]
    assert every == ["user", "assistant", "user"]
    first = mock.client.conversations.items.retrieve(page.data[1].id, conversation_id=conv.id)
    mock.validate("getConversationItem", first)
    assert first.content[0].text == "Hi, how can I help?"
    after = mock.client.conversations.items.delete(page.data[1].id, conversation_id=conv.id)
    mock.validate("deleteConversationItem", after)
    assert after.id == conv.id
    with pytest.raises(openai.NotFoundError):
        mock.client.conversations.items.retrieve(page.data[1].id, conversation_id=conv.id)
    assert len(mock.client.conversations.items.list(conv.id).data) == 2


def test_responses_in_a_conversation_share_its_state(mock):
    conv = mock.client.conversations.create()
    r1 = create(mock, input=ALICE, conversation=conv.id)
    assert r1.conversation.id == conv.id
    r2 = create(mock, input="What's my occupation?", conversation={"id": conv.id})
    assert "software engineer" in r2.output_text
    items = list(mock.client.conversations.items.list(conv.id, order="asc"))
    assert [(i.type, getattr(i, "role", None)) for i in items] == [("message", "user"), ("message", "assistant")] * 2
    assert items[1].id == r1.output[0].id and items[3].content[0].text == r2.output_text
    r3 = create(mock, input="What's my occupation?", conversation=conv.id)
    assert r3.id != r2.id  # the same words later in the conversation are a new turn


def test_items_added_by_hand_are_context(mock):
    conv = mock.client.conversations.create(items=[{"role": "user", "content": "I live in Lisbon."}])
    r = create(mock, input="What's my city?", conversation=conv.id)
    assert "Lisbon" in r.output_text


def test_conversation_and_previous_response_are_mutually_exclusive(mock):
    conv = mock.client.conversations.create()
    r1 = create(mock, input="hi")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="gpt-4o", input="again", conversation=conv.id, previous_response_id=r1.id)
    assert "previous_response_id" in error_of(info)["message"] and "conversation" in error_of(info)["message"]


def test_unknown_conversation_is_404(mock):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.responses.create(model="gpt-4o", input="hi", conversation="conv_missing")
    assert error_of(info)["param"] == "conversation"
    with pytest.raises(openai.NotFoundError):
        mock.client.conversations.items.list("conv_missing")


def test_item_limits_are_faithful(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.conversations.create(items=[{"role": "user", "content": str(k)} for k in range(21)])
    assert error_of(info)["param"] == "items"
    conv = mock.client.conversations.create()
    with pytest.raises(openai.BadRequestError):
        mock.client.conversations.items.create(conv.id, items=[])


async def test_async_conversation(mock):
    conv = await mock.async_client.conversations.create()
    await mock.async_client.responses.create(model="gpt-4o", input=ALICE, conversation=conv.id)
    r = await mock.async_client.responses.create(model="gpt-4o", input="Who am I?", conversation=conv.id)
    assert "Alice" in r.output_text and "software engineer" in r.output_text
    page = await mock.async_client.conversations.items.list(conv.id)
    assert len(page.data) == 4


def test_item_references_resolve_to_stored_items(mock):
    r = create(mock, input=ALICE)
    said = mock.client.responses.input_items.list(r.id).data[0]
    conv = mock.client.conversations.create(items=[{"type": "item_reference", "id": said.id}])
    items = mock.client.conversations.items.list(conv.id)
    mock.validate("listConversationItems", items.model_dump(mode="json", exclude_unset=True))
    assert items.data[0].content[0].text == ALICE
    assert "software engineer" in create(mock, input="What's my occupation?", conversation=conv.id).output_text
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.conversations.items.create(conv.id, items=[{"type": "item_reference", "id": "msg_unknown"}])
    assert error_of(info)["param"] == "items[0].id"
