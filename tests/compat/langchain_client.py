"""langchain-openai, unchanged, against the mock (OPENAI_BASE_URL): ChatOpenAI on gpt-5 and OpenAIEmbeddings.

Runs inside a venv holding only ``langchain-openai``. Scenarios: invoke, stream, a bind_tools round
trip (tool call, ToolMessage back, final text) on Chat Completions and on Responses,
with_structured_output in json_schema and function_calling modes, the Responses API with reasoning
effort low (invoke and stream), embeddings, and langchain-openai's explicit prompt-cache breakpoint test (gpt-5.6-sol,
sent twice; ChatOpenAI takes the Responses API for it). Prints one
JSON object of what the client saw; tests/test_real_clients.py asserts on it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import offline  # before the client: nothing may reach the network
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import BaseModel

BASE_URL = os.environ["OPENAI_BASE_URL"]
API_KEY = "sk-test"


class CityWeather(BaseModel):
    """The weather report for one city."""

    city: str
    temperature_c: float
    conditions: str


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"It is 21C and sunny in {city}."


def chat(**kwargs: Any) -> ChatOpenAI:
    """ChatOpenAI on gpt-5 pointed at the mock."""
    return ChatOpenAI(model="gpt-5", base_url=BASE_URL, api_key=API_KEY, **kwargs)


def usage_of(message: Any) -> dict[str, Any]:
    """The message's usage_metadata as plain JSON (None when the client has none)."""
    usage = getattr(message, "usage_metadata", None)
    return dict(usage) if usage else {}


def invoke() -> dict[str, Any]:
    """A plain invoke: text content and usage with reasoning tokens."""
    reply = chat().invoke("Explain in two sentences why the sky is blue.")
    return {"text": reply.content, "usage": usage_of(reply)}


def stream() -> dict[str, Any]:
    """stream(): the chunks' text joined, and the aggregated message's usage."""
    chunks = list(chat(stream_usage=True).stream("Explain in two sentences why the sky is blue."))
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged = merged + chunk
    return {"chunks": len(chunks), "text": "".join(c.content for c in chunks), "merged_text": merged.content,
            "usage": usage_of(merged)}


def tool_round_trip(**kwargs: Any) -> dict[str, Any]:
    """bind_tools: the model calls get_weather, the ToolMessage goes back, the model answers in text."""
    llm = chat(**kwargs).bind_tools([get_weather])
    messages: list[Any] = [HumanMessage("What's the weather in Paris right now?")]
    first = llm.invoke(messages)
    messages.append(first)
    for call in first.tool_calls:
        messages.append(ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"]))
    final = llm.invoke(messages)
    return {"tool_calls": [{"name": c["name"], "args": c["args"]} for c in first.tool_calls],
            "final_text": final.text, "final_tool_calls": len(final.tool_calls)}


def structured(method: str) -> dict[str, Any]:
    """with_structured_output(CityWeather) in ``method``: the parsed object, or the parsing error."""
    llm = chat().with_structured_output(CityWeather, method=method, include_raw=True)
    out = llm.invoke("The weather in Paris is 21C and sunny. Report it.")
    parsed = out["parsed"]
    return {"type": type(parsed).__name__, "parsed": parsed.model_dump() if isinstance(parsed, BaseModel) else parsed,
            "parsing_error": repr(out["parsing_error"]) if out["parsing_error"] else None}


def responses_reasoning() -> dict[str, Any]:
    """use_responses_api=True with reasoning effort low: text, usage and the reasoning block if any."""
    reply = chat(use_responses_api=True, reasoning={"effort": "low"}).invoke("Why is the sky blue? One sentence.")
    blocks = reply.content if isinstance(reply.content, list) else []
    return {"text": reply.text, "block_types": [b.get("type") for b in blocks if isinstance(b, dict)],
            "usage": usage_of(reply), "response_id": reply.response_metadata.get("id")}


def responses_stream() -> dict[str, Any]:
    """stream() on the Responses API with reasoning effort low: the chunks' text joined, and the merged usage."""
    llm = chat(use_responses_api=True, reasoning={"effort": "low"})
    chunks = list(llm.stream("Why is the sky blue? One sentence."))
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged = merged + chunk
    return {"chunks": len(chunks), "text": "".join(c.text for c in chunks), "merged_text": merged.text,
            "usage": usage_of(merged)}


def prompt_cache() -> dict[str, Any]:
    """langchain-openai's prompt-cache integration test: gpt-5.6-sol, explicit mode, one marked part, sent twice."""
    llm = ChatOpenAI(model="gpt-5.6-sol", base_url=BASE_URL, api_key=API_KEY, max_completion_tokens=16,
                     prompt_cache_options={"mode": "explicit"})
    content = [{"type": "text", "text": "Stable, cacheable instructions and reference material. " * 400,
                "prompt_cache_breakpoint": {"mode": "explicit"}},
               {"type": "text", "text": "Say hello."}]
    replies = [llm.invoke([HumanMessage(content=content)]) for _ in range(2)]
    return {"usage": [usage_of(reply) for reply in replies]}


def embeddings() -> dict[str, Any]:
    """OpenAIEmbeddings: a batch of documents and one query."""
    # check_embedding_ctx_length=False: the default tokenises with tiktoken, which downloads its BPE
    # file at run time; the test machine has no network. The raw text goes out instead (a documented option).
    embedder = OpenAIEmbeddings(model="text-embedding-3-small", base_url=BASE_URL, api_key=API_KEY,
                                check_embedding_ctx_length=False)
    docs = embedder.embed_documents(["The sky is blue.", "Grass is green."])
    query = embedder.embed_query("What colour is the sky?")
    return {"documents": len(docs), "dims": [len(v) for v in docs], "query_dims": len(query),
            "all_floats": all(isinstance(x, float) for v in [*docs, query] for x in v)}


SCENARIOS = {
    "invoke": invoke,
    "stream": stream,
    "tool_round_trip": tool_round_trip,
    "structured_json_schema": lambda: structured("json_schema"),
    "structured_function_calling": lambda: structured("function_calling"),
    "responses_reasoning": responses_reasoning,
    "responses_stream": responses_stream,
    "responses_tool_round_trip": lambda: tool_round_trip(use_responses_api=True),
    "embeddings": embeddings,
    "prompt_cache": prompt_cache,
}

if __name__ == "__main__":
    seen = {name: SCENARIOS[name]() for name in sys.argv[1:] or SCENARIOS}
    print(json.dumps({**seen, "blocked": offline.BLOCKED}))
