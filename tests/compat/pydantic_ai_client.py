"""pydantic-ai and instructor, unchanged, against the mock (OPENAI_BASE_URL).

Runs inside a venv holding ``pydantic-ai-slim[openai]`` and ``instructor``. Scenarios: a pydantic-ai agent with a
function tool on Chat Completions and on Responses (the tool called, its result back, a final text), structured
output through its output tool, streamed text, and instructor's ``response_model`` on chat. Prints one JSON
object of what the clients saw; tests/test_real_clients.py asserts on it.
"""

from __future__ import annotations  # noqa: I001 - the offline guard goes first, before any client

import offline  # first: nothing may reach the network

import asyncio
import json
import os
import sys
from typing import Any

import instructor
import openai
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.messages import ToolCallPart, ToolReturnPart
from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel
from pydantic_ai.providers.openai import OpenAIProvider

BASE_URL, KEY = os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"]
PROVIDER = OpenAIProvider(base_url=BASE_URL, api_key=KEY)
MODELS = {"chat": lambda: OpenAIChatModel("gpt-4o-mini", provider=PROVIDER),
          "responses": lambda: OpenAIResponsesModel("gpt-4o-mini", provider=PROVIDER)}


class Capital(BaseModel):
    city: str
    country: str


def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"It is 21C and sunny in {city}."


def tools(api: str) -> dict[str, Any]:
    """An agent with one tool: what it called, what the tool returned, and the final text."""
    result = Agent(MODELS[api](), tools=[get_weather]).run_sync("What's the weather in Paris right now?")
    parts = [p for m in result.all_messages() for p in m.parts]
    return {"calls": [[p.tool_name, p.args_as_dict()] for p in parts if isinstance(p, ToolCallPart)],
            "returns": [p.content for p in parts if isinstance(p, ToolReturnPart)], "final": result.output}


def structured(api: str) -> dict[str, Any]:
    """Structured output through pydantic-ai's output tool."""
    return Agent(MODELS[api](), output_type=Capital).run_sync("Paris is the capital of France.").output.model_dump()


def stream(api: str) -> str:
    """Streamed text, delta by delta."""
    async def run() -> str:
        async with Agent(MODELS[api]()).run_stream("Say hello in a few words.") as result:
            return "".join([delta async for delta in result.stream_text(delta=True)])
    return asyncio.run(run())


def with_instructor() -> dict[str, Any]:
    """instructor's response_model on Chat Completions."""
    client = instructor.from_openai(openai.OpenAI(base_url=BASE_URL, api_key=KEY))
    return client.chat.completions.create(model="gpt-4o-mini", response_model=Capital, max_retries=0,
                                          messages=[{"role": "user", "content": "Paris is the capital of France."}]).model_dump()


SCENARIOS = {"chat_tools": lambda: tools("chat"), "responses_tools": lambda: tools("responses"),
             "chat_structured": lambda: structured("chat"), "responses_structured": lambda: structured("responses"),
             "chat_stream": lambda: stream("chat"), "responses_stream": lambda: stream("responses"),
             "instructor": with_instructor}

if __name__ == "__main__":
    name = sys.argv[1]
    print(json.dumps({name: SCENARIOS[name](), "blocked": offline.BLOCKED}))
