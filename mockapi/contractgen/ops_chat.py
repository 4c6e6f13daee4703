"""Contract sources for Chat Completions, including the stored-completion endpoints."""

from . import Operation

_P = "openai.types.chat"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)

OPERATIONS = [
    Operation(
        "createChatCompletion", "POST", "/chat/completions", "Create a chat completion", "Chat",
        request=f"{_P}.completion_create_params:CompletionCreateParamsBase",
        response=f"{_P}:ChatCompletion",
        stream_event=f"{_P}:ChatCompletionChunk", stream_dialect="chat",
    ),
    Operation(
        "listChatCompletions", "GET", "/chat/completions", "List stored chat completions", "Chat",
        response=f"{_P}:ChatCompletion", response_list=True, stateful=True,
        query=_PAGE + (("model", {"type": "string"}), ("metadata", {"type": "object"})),
    ),
    Operation("getChatCompletion", "GET", "/chat/completions/{completion_id}", "Get a stored chat completion", "Chat",
              response=f"{_P}:ChatCompletion", stateful=True),
    Operation("updateChatCompletion", "POST", "/chat/completions/{completion_id}", "Update a stored chat completion's metadata", "Chat",
              request=f"{_P}.completion_update_params:CompletionUpdateParams", response=f"{_P}:ChatCompletion", stateful=True),
    Operation("deleteChatCompletion", "DELETE", "/chat/completions/{completion_id}", "Delete a stored chat completion", "Chat",
              response=f"{_P}:ChatCompletionDeleted", stateful=True),
    Operation("getChatCompletionMessages", "GET", "/chat/completions/{completion_id}/messages", "List a stored completion's messages", "Chat",
              response=f"{_P}:ChatCompletionStoreMessage", response_list=True, stateful=True, query=_PAGE,
              # The SDK types every stored message as an assistant message; the real API returns the
              # stored request messages with their own roles (system, user, tool, ...). Answers made up
              # from the contract (level schema) still say "assistant", which the SDK's strict check wants.
              response_patches=(("/properties/data/items/properties/role",
                                 {"enum": ["developer", "system", "user", "assistant", "tool", "function"],
                                  "x-synthesize": "assistant"}),)),
]
