"""Contract sources for ChatKit (beta): sessions with their client secret, and the threads users had."""

from __future__ import annotations

from . import Operation

_C = "openai.types.beta.chatkit"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("before", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)
_THREAD = "/chatkit/threads/{thread_id}"

OPERATIONS = [
    Operation("createChatKitSession", "POST", "/chatkit/sessions", "Create a ChatKit session", "ChatKit",
              request=f"{_C}.session_create_params:SessionCreateParams", response=f"{_C}:ChatSession", stateful=True),
    Operation("cancelChatKitSession", "POST", "/chatkit/sessions/{session_id}/cancel", "Cancel a ChatKit session",
              "ChatKit", response=f"{_C}:ChatSession", stateful=True),
    Operation("listChatKitThreads", "GET", "/chatkit/threads", "List ChatKit threads", "ChatKit",
              response=f"{_C}:ChatKitThread", response_list=True, stateful=True,
              query=_PAGE + (("user", {"type": "string"}),)),
    Operation("retrieveChatKitThread", "GET", _THREAD, "Retrieve a ChatKit thread", "ChatKit",
              response=f"{_C}:ChatKitThread", stateful=True),
    Operation("deleteChatKitThread", "DELETE", _THREAD, "Delete a ChatKit thread", "ChatKit",
              response=f"{_C}.thread_delete_response:ThreadDeleteResponse", stateful=True),
    Operation("listChatKitThreadItems", "GET", _THREAD + "/items", "List a ChatKit thread's items", "ChatKit",
              response=f"{_C}.chatkit_thread_item_list:Data", response_list=True, stateful=True, query=_PAGE),
]
