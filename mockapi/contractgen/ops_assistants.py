"""Contract sources for Assistants v2."""

from __future__ import annotations

from . import Operation

_B = "openai.types.beta"
PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("before", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)

OPERATIONS = [
    Operation("createAssistant", "POST", "/assistants", "Create an assistant", "Assistants",
              request=f"{_B}.assistant_create_params:AssistantCreateParams", response=f"{_B}:Assistant", stateful=True),
    Operation("listAssistants", "GET", "/assistants", "List assistants", "Assistants",
              response=f"{_B}:Assistant", response_list=True, stateful=True, query=PAGE),
    Operation("getAssistant", "GET", "/assistants/{assistant_id}", "Retrieve an assistant", "Assistants",
              response=f"{_B}:Assistant", stateful=True),
    Operation("modifyAssistant", "POST", "/assistants/{assistant_id}", "Modify an assistant", "Assistants",
              request=f"{_B}.assistant_update_params:AssistantUpdateParams", response=f"{_B}:Assistant", stateful=True),
    Operation("deleteAssistant", "DELETE", "/assistants/{assistant_id}", "Delete an assistant", "Assistants",
              response=f"{_B}:AssistantDeleted", stateful=True),
]
