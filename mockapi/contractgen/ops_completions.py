"""Contract sources for the legacy Completions endpoint (reference §19.2).

The real API streams ``text_completion`` chunks ending in ``data: [DONE]`` (the chat dialect),
though the public spec declares only the JSON reply.
"""

from . import Operation

OPERATIONS = [
    Operation(
        "createCompletion", "POST", "/completions", "Create a (legacy) completion", "Completions",
        request="openai.types.completion_create_params:CompletionCreateParamsBase",
        response="openai.types:Completion",
        stream_event="openai.types:Completion", stream_dialect="chat",
    ),
]
