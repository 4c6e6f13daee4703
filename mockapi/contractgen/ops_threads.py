"""Contract sources for Assistants v2 threads, messages, runs and run steps."""

from __future__ import annotations

from typing import Iterable, Optional

from openai.types.beta.threads.run_submit_tool_outputs_params import ToolOutput
from openai.types.shared_params import Metadata
from typing_extensions import Required, TypedDict

from . import Operation
from .ops_assistants import PAGE

_B = "openai.types.beta"
_TH = "openai.types.beta.threads"
_EVENT = f"{_B}:AssistantStreamEvent"
_INCLUDE = (("include[]", {"type": "array", "items": {"type": "string"}}),)


class MetadataBody(TypedDict, total=False):
    """The body of the modify operations on messages and runs (the SDK's types also name path ids)."""

    metadata: Optional[Metadata]


class SubmitToolOutputsBody(TypedDict, total=False):
    """The body of ``POST …/runs/{run_id}/submit_tool_outputs`` (``stream`` is added for streaming operations)."""

    tool_outputs: Required[Iterable[ToolOutput]]


_T = "/threads/{thread_id}"
_R = _T + "/runs/{run_id}"
OPERATIONS = [
    Operation("createThread", "POST", "/threads", "Create a thread", "Assistants",
              request=f"{_B}.thread_create_params:ThreadCreateParams", response=f"{_B}:Thread", stateful=True),
    Operation("createThreadAndRun", "POST", "/threads/runs", "Create a thread and run it", "Assistants",
              request=f"{_B}.thread_create_and_run_params:ThreadCreateAndRunParamsBase", response=f"{_TH}:Run",
              stream_event=_EVENT, stream_dialect="assistants", stateful=True),
    Operation("getThread", "GET", _T, "Retrieve a thread", "Assistants", response=f"{_B}:Thread", stateful=True),
    Operation("modifyThread", "POST", _T, "Modify a thread", "Assistants",
              request=f"{_B}.thread_update_params:ThreadUpdateParams", response=f"{_B}:Thread", stateful=True),
    Operation("deleteThread", "DELETE", _T, "Delete a thread", "Assistants", response=f"{_B}:ThreadDeleted", stateful=True),
    Operation("createMessage", "POST", f"{_T}/messages", "Create a message", "Assistants",
              request=f"{_TH}.message_create_params:MessageCreateParams", response=f"{_TH}:Message", stateful=True),
    Operation("listMessages", "GET", f"{_T}/messages", "List a thread's messages", "Assistants",
              response=f"{_TH}:Message", response_list=True, stateful=True, query=PAGE + (("run_id", {"type": "string"}),)),
    Operation("getMessage", "GET", f"{_T}/messages/{{message_id}}", "Retrieve a message", "Assistants",
              response=f"{_TH}:Message", stateful=True),
    Operation("modifyMessage", "POST", f"{_T}/messages/{{message_id}}", "Modify a message", "Assistants",
              request=f"{__name__}:MetadataBody", response=f"{_TH}:Message", stateful=True),
    Operation("deleteMessage", "DELETE", f"{_T}/messages/{{message_id}}", "Delete a message", "Assistants",
              response=f"{_TH}:MessageDeleted", stateful=True),
    Operation("createRun", "POST", f"{_T}/runs", "Create a run", "Assistants",
              request=f"{_TH}.run_create_params:RunCreateParamsBase", response=f"{_TH}:Run",
              stream_event=_EVENT, stream_dialect="assistants", stateful=True, query=_INCLUDE),
    Operation("listRuns", "GET", f"{_T}/runs", "List a thread's runs", "Assistants",
              response=f"{_TH}:Run", response_list=True, stateful=True, query=PAGE),
    Operation("getRun", "GET", _R, "Retrieve a run (polling advances it)", "Assistants", response=f"{_TH}:Run", stateful=True),
    Operation("modifyRun", "POST", _R, "Modify a run", "Assistants",
              request=f"{__name__}:MetadataBody", response=f"{_TH}:Run", stateful=True),
    Operation("cancelRun", "POST", f"{_R}/cancel", "Cancel a run", "Assistants", response=f"{_TH}:Run", stateful=True),
    Operation("submitToolOuputsToRun", "POST", f"{_R}/submit_tool_outputs", "Submit tool outputs to a run", "Assistants",
              request=f"{__name__}:SubmitToolOutputsBody", response=f"{_TH}:Run",
              stream_event=_EVENT, stream_dialect="assistants", stateful=True),
    Operation("listRunSteps", "GET", f"{_R}/steps", "List a run's steps", "Assistants",
              response=f"{_TH}.runs:RunStep", response_list=True, stateful=True, query=PAGE + _INCLUDE),
    Operation("getRunStep", "GET", f"{_R}/steps/{{step_id}}", "Retrieve a run step", "Assistants",
              response=f"{_TH}.runs:RunStep", stateful=True, query=_INCLUDE),
]
