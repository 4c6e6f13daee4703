"""openai-agents, unchanged, against the mock (OPENAI_BASE_URL): a gpt-5 agent with a function tool.

Runs inside a venv holding only ``openai-agents``. Each scenario is a full tool loop (the model
calls get_weather, the tool's result goes back, the model answers in text): Runner.run_sync on the
Responses API, Runner.run_streamed consuming stream_events(), the Chat Completions model (plain and
streamed), ModelSettings(reasoning=Reasoning(effort="low")) (plain, and streamed with summaries),
store=False with encrypted reasoning, a follow-up run chained with previous_response_id, and a
handoff from a triage agent to the weather agent (on Responses and on Chat Completions), and the
weather agent used as a tool by a manager agent. Prints one JSON object of what the client saw;
tests/test_real_clients.py asserts on it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import offline  # before the client: nothing may reach the network
from agents import (
    Agent,
    ModelSettings,
    OpenAIChatCompletionsModel,
    Runner,
    function_tool,
    set_default_openai_client,
    set_tracing_disabled,
)
from agents.items import (
    MessageOutputItem,
    ReasoningItem,
    ToolCallItem,
    ToolCallOutputItem,
)
from openai import AsyncOpenAI
from openai.types.shared import Reasoning

set_tracing_disabled(True)  # tracing would export spans to the real platform: no network here


def fresh_client() -> AsyncOpenAI:
    """A client for one scenario, made the default: an AsyncOpenAI's connections belong to one event loop."""
    client = AsyncOpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="sk-test")
    set_default_openai_client(client, use_for_tracing=False)
    return client


PROMPT = "What's the weather in Paris right now?"
TOOL_CALLS: list[str] = []


@function_tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    TOOL_CALLS.append(city)
    return f"It is 21C and sunny in {city}."


def agent(**kwargs: Any) -> Agent:
    """The agent under test: gpt-5 unless ``model`` says otherwise, with the weather tool."""
    kwargs.setdefault("model", "gpt-5")
    return Agent(name="Weather", instructions="Answer weather questions with the get_weather tool.",
                 tools=[get_weather], **kwargs)


def describe(result: Any) -> dict[str, Any]:
    """What a finished run shows: the tool calls and outputs it made, its final text, its usage."""
    calls = [item.raw_item for item in result.new_items if isinstance(item, ToolCallItem)]
    outputs = [item.output for item in result.new_items if isinstance(item, ToolCallOutputItem)]
    messages = [item for item in result.new_items if isinstance(item, MessageOutputItem)]
    reasoning = [item.raw_item for item in result.new_items if isinstance(item, ReasoningItem)]
    usage = result.context_wrapper.usage
    return {
        "tool_names": [getattr(c, "name", None) for c in calls],
        "tool_arguments": [json.loads(getattr(c, "arguments", "{}")) for c in calls],
        "tool_outputs": [str(o) for o in outputs],
        "messages": len(messages),
        "reasoning_summaries": ["".join(part.text for part in r.summary) for r in reasoning],
        "final_output": result.final_output,
        "requests": usage.requests,
        "output_tokens": usage.output_tokens,
        "reasoning_tokens": usage.output_tokens_details.reasoning_tokens,
    }


async def streamed(runner_agent: Agent) -> dict[str, Any]:
    """Runner.run_streamed: the text deltas seen in stream_events() and the run items as they came."""
    result = Runner.run_streamed(runner_agent, PROMPT)
    deltas: list[str] = []
    summary_deltas: list[str] = []
    item_kinds: list[str] = []
    async for event in result.stream_events():
        if event.type == "raw_response_event" and event.data.type == "response.output_text.delta":
            deltas.append(event.data.delta)
        elif event.type == "raw_response_event" and event.data.type == "response.reasoning_summary_text.delta":
            summary_deltas.append(event.data.delta)
        elif event.type == "run_item_stream_event":
            item_kinds.append(event.name)
    return {**describe(result), "streamed_text": "".join(deltas), "streamed_summaries": "".join(summary_deltas),
            "item_events": item_kinds}


def chat_model(**settings: Any) -> dict[str, Any]:
    """The agent on OpenAIChatCompletionsModel (the chat completions path) instead of Responses."""
    return {"model": OpenAIChatCompletionsModel(model="gpt-5", openai_client=fresh_client()),
            "model_settings": ModelSettings(**settings)}


def follow_up() -> dict[str, Any]:
    """A second run chained with previous_response_id: the mock must find the first run's stored response."""
    first = Runner.run_sync(agent(), PROMPT)
    TOOL_CALLS.clear()
    second = Runner.run_sync(agent(), "And what's the weather in London?", previous_response_id=first.last_response_id)
    return {**describe(second), "first_response_id": first.last_response_id}


def handoff(**kwargs: Any) -> dict[str, Any]:
    """A triage agent hands off to the weather agent, which then runs the tool loop."""
    triage = Agent(name="Triage", instructions="Route the user to the right agent.", handoffs=[agent(**kwargs)],
                   **{"model": "gpt-5", **kwargs})
    result = Runner.run_sync(triage, PROMPT)
    return {**describe(result), "last_agent": result.last_agent.name,
            "items": [type(item).__name__ for item in result.new_items]}


def agent_as_tool() -> dict[str, Any]:
    """A manager agent asks the weather agent, wrapped with as_tool, which runs its own tool loop."""
    expert = agent().as_tool(tool_name="weather_expert", tool_description="Ask the weather expert about a city's weather.")
    result = Runner.run_sync(Agent(name="Manager", model="gpt-5", tools=[expert]), PROMPT)
    return describe(result)


def main() -> None:
    """Run every scenario and print what each saw as one JSON object."""
    seen: dict[str, Any] = {}
    scenarios = {
        "run_sync": lambda: describe(Runner.run_sync(agent(), PROMPT)),
        "run_streamed": lambda: asyncio.run(streamed(agent())),
        "chat_completions": lambda: describe(Runner.run_sync(agent(**chat_model()), PROMPT)),
        # include_usage: the SDK asks for the usage chunk by default only from api.openai.com
        "chat_completions_streamed": lambda: asyncio.run(streamed(agent(**chat_model(include_usage=True)))),
        "reasoning_low": lambda: describe(Runner.run_sync(
            agent(model_settings=ModelSettings(reasoning=Reasoning(effort="low"))), PROMPT)),
        "reasoning_summary_streamed": lambda: asyncio.run(streamed(agent(
            model_settings=ModelSettings(reasoning=Reasoning(effort="low", summary="auto"))))),
        # store=False (zero data retention): reasoning goes back as encrypted_content, not by id
        "stateless_encrypted_reasoning": lambda: describe(Runner.run_sync(agent(
            model_settings=ModelSettings(store=False, response_include=["reasoning.encrypted_content"])), PROMPT)),
        "previous_response_id": follow_up,
        "handoff": handoff,
        "handoff_chat_completions": lambda: handoff(**chat_model()),
        "agent_as_tool": agent_as_tool,
    }
    only = sys.argv[1:] or list(scenarios)
    for name in only:
        TOOL_CALLS.clear()
        fresh_client()
        seen[name] = {**scenarios[name](), "tool_invocations": list(TOOL_CALLS)}
    print(json.dumps({**seen, "blocked": offline.BLOCKED}))


if __name__ == "__main__":
    main()
