"""litellm, unchanged, against the mock (OPENAI_BASE_URL) as an ``openai/`` provider on gpt-5.

Runs inside a venv holding only ``litellm``. Scenarios: completion with tools as a full round trip
(tool call, tool result back, final text), streamed completions (text with usage, and a tool
call) rebuilt by stream_chunk_builder, litellm.responses with reasoning effort low (plain and
streamed), and litellm.embedding. Prints one
JSON object of what the client saw; tests/test_real_clients.py asserts on it.
"""

from __future__ import annotations

import os

import offline  # first: nothing may reach the network

# litellm fetches a model cost map from the internet at import unless told to use its bundled copy;
# LITELLM_OFFLINE_MODE also keeps its other self-started fetches (catalogues, tokenizers) local.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["LITELLM_OFFLINE_MODE"] = "true"
os.environ.setdefault("LITELLM_TELEMETRY", "False")

import json
import sys
from typing import Any

import litellm

BASE = {"api_base": os.environ["OPENAI_BASE_URL"], "api_key": "sk-test"}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather", "description": "Get the current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def usage_of(response: Any) -> dict[str, Any]:
    """Prompt, completion and reasoning tokens of a chat response's usage."""
    usage = response.usage
    details = getattr(usage, "completion_tokens_details", None)
    return {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "reasoning_tokens": getattr(details, "reasoning_tokens", None) if details else None}


def tool_round_trip() -> dict[str, Any]:
    """completion(tools=...): the tool call, then the tool result back and the final text."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": "What's the weather in Paris right now?"}]
    first = litellm.completion(model="openai/gpt-5", messages=messages, tools=[WEATHER_TOOL], **BASE)
    message = first.choices[0].message
    calls = message.tool_calls or []
    messages.append(message.model_dump(exclude_none=True))
    for call in calls:
        city = json.loads(call.function.arguments)["city"]
        messages.append({"role": "tool", "tool_call_id": call.id, "content": f"It is 21C and sunny in {city}."})
    final = litellm.completion(model="openai/gpt-5", messages=messages, tools=[WEATHER_TOOL], **BASE)
    return {"finish_reason": first.choices[0].finish_reason,
            "tool_calls": [{"name": c.function.name, "arguments": json.loads(c.function.arguments)} for c in calls],
            "final_text": final.choices[0].message.content, "final_finish_reason": final.choices[0].finish_reason,
            "usage": usage_of(first)}


def streaming() -> dict[str, Any]:
    """completion(stream=True, include_usage): the deltas joined, and the response stream_chunk_builder rebuilds."""
    messages = [{"role": "user", "content": "Explain in two sentences why the sky is blue."}]
    chunks = list(litellm.completion(model="openai/gpt-5", messages=messages, stream=True,
                                     stream_options={"include_usage": True}, reasoning_effort="low", **BASE))
    deltas = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    rebuilt = litellm.stream_chunk_builder(chunks, messages=messages)
    return {"chunks": len(chunks), "streamed_text": deltas, "rebuilt_text": rebuilt.choices[0].message.content,
            "usage": usage_of(rebuilt)}


def streaming_tools() -> dict[str, Any]:
    """completion(stream=True, tools=...): the tool call stream_chunk_builder rebuilds from the deltas."""
    messages = [{"role": "user", "content": "What's the weather in Paris right now?"}]
    chunks = list(litellm.completion(model="openai/gpt-5", messages=messages, tools=[WEATHER_TOOL], stream=True, **BASE))
    rebuilt = litellm.stream_chunk_builder(chunks, messages=messages).choices[0]
    return {"finish_reason": rebuilt.finish_reason,
            "tool_calls": [{"id": c.id, "name": c.function.name, "arguments": json.loads(c.function.arguments)}
                           for c in rebuilt.message.tool_calls or []]}


def output_text(response: Any) -> str:
    """The text of a Responses response's message items."""
    return "".join(part.text for item in response.output if getattr(item, "type", None) == "message"
                   for part in item.content if getattr(part, "type", None) == "output_text")


def responses_stream() -> dict[str, Any]:
    """litellm.responses(stream=True): the event types, the text deltas joined, and the completed response."""
    types: list[str] = []
    deltas: list[str] = []
    completed: Any = None
    for event in litellm.responses(model="openai/gpt-5", input="Why is the sky blue? One sentence.", stream=True,
                                   reasoning={"effort": "low"}, **BASE):
        types.append(str(getattr(event.type, "value", event.type)))
        if types[-1] == "response.output_text.delta":
            deltas.append(event.delta)
        elif types[-1] == "response.completed":
            completed = event.response
    return {"types": types, "streamed_text": "".join(deltas), "final_text": output_text(completed),
            "reasoning_tokens": completed.usage.output_tokens_details.reasoning_tokens}


def responses() -> dict[str, Any]:
    """litellm.responses on gpt-5 with reasoning effort low."""
    response = litellm.responses(model="openai/gpt-5", input="Why is the sky blue? One sentence.",
                                 reasoning={"effort": "low"}, **BASE)
    text = output_text(response)
    details = response.usage.output_tokens_details
    return {"id": response.id, "status": response.status, "text": text,
            "output_types": [getattr(item, "type", None) for item in response.output],
            "reasoning_tokens": getattr(details, "reasoning_tokens", None) if details else None}


def embedding() -> dict[str, Any]:
    """litellm.embedding of two strings."""
    response = litellm.embedding(model="openai/text-embedding-3-small", input=["The sky is blue.", "Grass is green."],
                                 **BASE)
    vectors = [item["embedding"] for item in response.data]
    return {"count": len(vectors), "dims": [len(v) for v in vectors], "prompt_tokens": response.usage.prompt_tokens}


SCENARIOS = {"tool_round_trip": tool_round_trip, "streaming": streaming, "streaming_tools": streaming_tools,
             "responses": responses, "responses_stream": responses_stream, "embedding": embedding}

if __name__ == "__main__":
    seen = {name: SCENARIOS[name]() for name in sys.argv[1:] or SCENARIOS}
    print(json.dumps({**seen, "blocked": offline.BLOCKED}))
