"""Contract sources for the Responses API and the Conversations API (issue 3)."""

from __future__ import annotations

from . import Operation

_R = "openai.types.responses"
_C = "openai.types.conversations"
_EVENT = f"{_R}:ResponseStreamEvent"
_INCLUDE = ("include[]", {"type": "array", "items": {"type": "string"}})
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
    _INCLUDE,
)



_RID = "/responses/{response_id}"
_CID = "/conversations/{conversation_id}"
OPERATIONS = [
    Operation("createResponse", "POST", "/responses", "Create a model response", "Responses",
              request=f"{_R}.response_create_params:ResponseCreateParamsBase", response=f"{_R}:Response",
              stream_event=_EVENT, stream_dialect="responses", stateful=True),
    Operation("getResponse", "GET", _RID, "Retrieve a model response (or replay its stream)", "Responses",
              response=f"{_R}:Response", stream_event=_EVENT, stream_dialect="responses", stateful=True,
              query=(_INCLUDE, ("stream", {"enum": ["true", "false"]}), ("starting_after", {"type": "string", "pattern": "^[0-9]+$"}))),
    Operation("compactResponse", "POST", "/responses/compact", "Compact a conversation into a compaction item", "Responses",
              request=f"{_R}.response_compact_params:ResponseCompactParams", response=f"{_R}:CompactedResponse",
              stateful=True),
    Operation("getInputTokenCounts", "POST", "/responses/input_tokens", "Count a request's input tokens", "Responses",
              request=f"{_R}.input_token_count_params:InputTokenCountParams", response=f"{_R}:InputTokenCountResponse",
              stateful=True),
    Operation("deleteResponse", "DELETE", _RID, "Delete a model response", "Responses", stateful=True),
    Operation("cancelResponse", "POST", f"{_RID}/cancel", "Cancel a background response", "Responses",
              response=f"{_R}:Response", stateful=True),
    Operation("listInputItems", "GET", f"{_RID}/input_items", "List a response's input items", "Responses",
              response=f"{_R}:ResponseItem", response_list=True, stateful=True, query=_PAGE),
    Operation("createConversation", "POST", "/conversations", "Create a conversation", "Conversations",
              request=f"{_C}.conversation_create_params:ConversationCreateParams", response=f"{_C}:Conversation", stateful=True),
    Operation("getConversation", "GET", _CID, "Retrieve a conversation", "Conversations",
              response=f"{_C}:Conversation", stateful=True),
    Operation("updateConversation", "POST", _CID, "Update a conversation's metadata", "Conversations",
              request=f"{_C}.conversation_update_params:ConversationUpdateParams", response=f"{_C}:Conversation", stateful=True),
    Operation("deleteConversation", "DELETE", _CID, "Delete a conversation", "Conversations",
              response=f"{_C}:ConversationDeletedResource", stateful=True),
    Operation("createConversationItems", "POST", f"{_CID}/items", "Add items to a conversation", "Conversations",
              request=f"{_C}.item_create_params:ItemCreateParams", response=f"{_C}:ConversationItemList",
              stateful=True, query=(_INCLUDE,)),
    Operation("listConversationItems", "GET", f"{_CID}/items", "List a conversation's items", "Conversations",
              response=f"{_C}:ConversationItem", response_list=True, stateful=True, query=_PAGE),
    Operation("getConversationItem", "GET", f"{_CID}/items/{{item_id}}", "Retrieve a conversation item", "Conversations",
              response=f"{_C}:ConversationItem", stateful=True, query=(_INCLUDE,)),
    Operation("deleteConversationItem", "DELETE", f"{_CID}/items/{{item_id}}", "Delete a conversation item", "Conversations",
              response=f"{_C}:Conversation", stateful=True),
]
