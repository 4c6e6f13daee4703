"""The real clients, unchanged, against the live mock: openai-agents, langchain-openai, litellm, pydantic-ai and instructor.

Each client lives in its own cached virtualenv (``.venv-<package>``, built from PyPI by
tests/compat/venvs.py on first use) and runs one scenario of its script in tests/compat/
(``*_client.py``) against the live server. The script prints what the client returned; these tests
assert on that and on the requests the mock recorded (a tool result really went back, the effort
asked for was sent). The scripts refuse any connection but loopback (tests/compat/offline.py) and
report attempts, so a client that phones home fails here. The Node SDK's counterpart is
tests/node/sdk_check.mjs, run by tests/test_node_sdk.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.compat.venvs import run_script, sdk_python

COMPAT = Path(__file__).parent / "compat"
SCRIPTS = {"openai-agents": "agents_client.py", "langchain-openai": "langchain_client.py", "litellm": "litellm_client.py",
           "pydantic-ai": "pydantic_ai_client.py"}
# What a client's venv holds, when it is more than the package of that name.
VENVS = {"pydantic-ai": (("pydantic-ai-slim[openai]", "instructor"), ".venv-pydantic-ai")}
PROMPT_CITY = "Paris"  # the scripts ask "What's the weather in Paris right now?"
TOOL_RESULT = "It is 21C and sunny in Paris."  # what their get_weather returns


def run_client(package: str, scenario: str, server: Any) -> dict[str, Any]:
    """Run ``scenario`` of ``package``'s script in its venv against ``server``; return what the client saw."""
    requirements, venv = VENVS.get(package, ((package,), None))
    python = sdk_python(*requirements, name=venv)
    result = run_script(python, COMPAT / SCRIPTS[package], server.base_url, scenario, timeout=300)
    assert result.returncode == 0, (f"{package} / {scenario} failed against the mock:\n{result.stderr[-5000:]}\n"
                                    f"{server.calls.describe()}")
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["blocked"] == [], f"{package} tried to reach the network: {seen['blocked']}"
    return seen[scenario]


def bodies(server: Any, path: str) -> list[dict[str, Any]]:
    """The JSON bodies of the requests the mock answered on ``path`` (all answered 200)."""
    calls = server.calls.to(path)
    assert calls and all(c.status == 200 for c in calls), server.calls.describe()
    return [c.json for c in calls]


def assert_responses_tool_loop(server: Any, *, stream: bool) -> list[dict[str, Any]]:
    """Two /responses requests: the second replays the first's function_call with its function_call_output."""
    sent = bodies(server, "/responses")
    assert len(sent) == 2, server.calls.describe()
    assert all(b["model"] == "gpt-5" and bool(b.get("stream")) == stream for b in sent)
    items = [i for i in sent[1]["input"] if isinstance(i, dict)]
    calls = [i for i in items if i.get("type") == "function_call"]
    outputs = [i for i in items if i.get("type") == "function_call_output"]
    assert [c["name"] for c in calls] == ["get_weather"] and json.loads(calls[0]["arguments"]) == {"city": PROMPT_CITY}
    assert [o["call_id"] for o in outputs] == [calls[0]["call_id"]] and TOOL_RESULT in str(outputs[0]["output"])
    if not stream:  # the call id the client replayed is the one the mock issued
        issued = [i for i in server.calls.to("/responses")[0].response_json["output"] if i["type"] == "function_call"]
        assert [i["call_id"] for i in issued] == [calls[0]["call_id"]]
    return sent


def assert_chat_tool_loop(server: Any, *, stream: bool = False) -> list[dict[str, Any]]:
    """Two /chat/completions requests: the second carries the assistant's tool call and the matching tool message."""
    sent = bodies(server, "/chat/completions")
    assert len(sent) == 2, server.calls.describe()
    assert all(bool(b.get("stream")) == stream for b in sent)
    messages = sent[1]["messages"]
    [assistant] = [m for m in messages if m["role"] == "assistant"]
    tool = [m for m in messages if m["role"] == "tool"]
    [call] = assistant["tool_calls"]
    assert call["function"]["name"] == "get_weather" and json.loads(call["function"]["arguments"]) == {"city": PROMPT_CITY}
    assert [m["tool_call_id"] for m in tool] == [call["id"]] and TOOL_RESULT in str(tool[0]["content"])
    if not stream:  # the call id the client replayed is the one the mock issued
        issued = server.calls.to("/chat/completions")[0].response_json["choices"][0]["message"]["tool_calls"]
        assert [c["id"] for c in issued] == [call["id"]]
    return sent


def assert_agent_tool_loop(seen: dict[str, Any], city: str = PROMPT_CITY) -> None:
    """What every openai-agents run shows: one get_weather call for the city asked, its output, one final text."""
    assert seen["tool_names"] == ["get_weather"], seen
    assert seen["tool_arguments"] == [{"city": city}] and seen["tool_invocations"] == [city], seen
    assert seen["tool_outputs"] == [TOOL_RESULT.replace(PROMPT_CITY, city)], seen
    assert seen["messages"] == 1 and isinstance(seen["final_output"], str) and seen["final_output"].strip(), seen
    assert seen["requests"] == 2 and seen["output_tokens"] > 0 and seen["reasoning_tokens"] > 0, seen


# -- openai-agents ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_agents_run_sync_completes_the_tool_loop(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "run_sync", mockapi_server)
    assert_agent_tool_loop(seen)
    assert_responses_tool_loop(mockapi_server, stream=False)


@pytest.mark.slow
def test_agents_run_streamed_streams_the_final_text(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "run_streamed", mockapi_server)
    assert_agent_tool_loop(seen)
    assert seen["streamed_text"] == seen["final_output"], seen
    events = seen["item_events"]
    assert events.index("tool_called") < events.index("tool_output") < events.index("message_output_created"), events
    assert_responses_tool_loop(mockapi_server, stream=True)


@pytest.mark.slow
def test_agents_chat_completions_model_completes_the_tool_loop(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "chat_completions", mockapi_server)
    assert_agent_tool_loop(seen)
    sent = assert_chat_tool_loop(mockapi_server)
    assert all(b["model"] == "gpt-5" for b in sent)


@pytest.mark.slow
def test_agents_chat_completions_model_streamed(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "chat_completions_streamed", mockapi_server)
    assert_agent_tool_loop(seen)
    assert seen["streamed_text"] == seen["final_output"], seen
    sent = assert_chat_tool_loop(mockapi_server, stream=True)
    assert all(b["model"] == "gpt-5" and b["stream_options"] == {"include_usage": True} for b in sent), sent


@pytest.mark.slow
def test_agents_follow_up_run_chains_previous_response_id(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "previous_response_id", mockapi_server)
    assert_agent_tool_loop(seen, city="London")
    calls = mockapi_server.calls.to("/responses")
    assert len(calls) == 4 and all(c.status == 200 for c in calls), mockapi_server.calls.describe()
    follow_up, tool_turn = calls[2].json, calls[3].json
    assert follow_up["previous_response_id"] == seen["first_response_id"] == calls[1].response_json["id"]
    assert tool_turn["previous_response_id"] == calls[2].response_json["id"], tool_turn
    issued = [i for i in calls[2].response_json["output"] if i["type"] == "function_call"]
    outputs = [i for i in tool_turn["input"] if isinstance(i, dict) and i.get("type") == "function_call_output"]
    assert [o["call_id"] for o in outputs] == [i["call_id"] for i in issued], (issued, tool_turn["input"])


@pytest.mark.slow
def test_agents_reasoning_effort_low_reaches_the_mock(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "reasoning_low", mockapi_server)
    assert_agent_tool_loop(seen)
    sent = assert_responses_tool_loop(mockapi_server, stream=False)
    assert all(b["reasoning"]["effort"] == "low" for b in sent), [b.get("reasoning") for b in sent]


@pytest.mark.slow
def test_agents_streamed_reasoning_summaries_match_the_items(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "reasoning_summary_streamed", mockapi_server)
    assert_agent_tool_loop(seen)
    summaries = seen["reasoning_summaries"]
    assert len(summaries) == 2 and all(s.strip() for s in summaries), seen
    assert seen["streamed_summaries"] == "".join(summaries) and seen["streamed_text"] == seen["final_output"], seen
    sent = assert_responses_tool_loop(mockapi_server, stream=True)
    assert all(b["reasoning"] == {"effort": "low", "summary": "auto"} for b in sent), sent


@pytest.mark.slow
def test_agents_store_false_replays_encrypted_reasoning(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "stateless_encrypted_reasoning", mockapi_server)
    assert_agent_tool_loop(seen)
    sent = assert_responses_tool_loop(mockapi_server, stream=False)
    assert all(b["store"] is False and "reasoning.encrypted_content" in b["include"] for b in sent), sent
    issued = [i for i in mockapi_server.calls.to("/responses")[0].response_json["output"] if i["type"] == "reasoning"]
    replayed = [i for i in sent[1]["input"] if isinstance(i, dict) and i.get("type") == "reasoning"]
    assert issued and [i["encrypted_content"] for i in replayed] == [i["encrypted_content"] for i in issued], replayed


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["handoff", "handoff_chat_completions"])
def test_agents_handoff_then_the_tool_loop(scenario: str, mockapi_server: Any) -> None:
    seen = run_client("openai-agents", scenario, mockapi_server)
    assert seen["last_agent"] == "Weather", seen
    kinds = [k for k in seen["items"] if k != "ReasoningItem"]
    assert kinds == ["HandoffCallItem", "HandoffOutputItem", "ToolCallItem", "ToolCallOutputItem", "MessageOutputItem"]
    assert seen["tool_arguments"] == [{"city": PROMPT_CITY}] and seen["tool_invocations"] == [PROMPT_CITY], seen
    assert seen["final_output"].strip() and seen["requests"] == 3, seen
    path = "/chat/completions" if scenario.endswith("chat_completions") else "/responses"
    sent = bodies(mockapi_server, path)
    offered = [sorted(t.get("name") or t["function"]["name"] for t in b["tools"]) for b in sent]
    assert offered == [["transfer_to_weather"], ["get_weather"], ["get_weather"]], offered


@pytest.mark.slow
def test_agents_agent_as_tool_runs_the_inner_tool_loop(mockapi_server: Any) -> None:
    seen = run_client("openai-agents", "agent_as_tool", mockapi_server)
    assert seen["tool_names"] == ["weather_expert"], seen
    assert seen["tool_arguments"] == [{"input": "What's the weather in Paris right now?"}], seen
    assert seen["tool_invocations"] == [PROMPT_CITY] and TOOL_RESULT in seen["tool_outputs"][0], seen
    assert seen["final_output"].strip(), seen
    tools = [sorted(t["name"] for t in b["tools"]) for b in bodies(mockapi_server, "/responses")]
    assert tools == [["weather_expert"], ["get_weather"], ["get_weather"], ["weather_expert"]], tools


# -- langchain-openai ------------------------------------------------------------------------------


@pytest.mark.slow
def test_langchain_invoke(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "invoke", mockapi_server)
    assert isinstance(seen["text"], str) and seen["text"].strip(), seen
    assert seen["usage"]["output_token_details"]["reasoning"] > 0, seen
    assert [b["model"] for b in bodies(mockapi_server, "/chat/completions")] == ["gpt-5"]


@pytest.mark.slow
def test_langchain_stream_joins_to_the_final_text_with_usage(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "stream", mockapi_server)
    assert seen["chunks"] > 2 and seen["text"].strip() and seen["text"] == seen["merged_text"], seen
    usage = seen["usage"]
    assert usage["output_token_details"]["reasoning"] > 0, seen
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"], seen
    [sent] = bodies(mockapi_server, "/chat/completions")
    assert sent["stream"] is True and sent["stream_options"]["include_usage"] is True, sent


@pytest.mark.slow
def test_langchain_bind_tools_round_trip(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "tool_round_trip", mockapi_server)
    assert seen["tool_calls"] == [{"name": "get_weather", "args": {"city": PROMPT_CITY}}], seen
    assert seen["final_text"].strip() and seen["final_tool_calls"] == 0, seen
    assert_chat_tool_loop(mockapi_server)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
def test_langchain_structured_output_parses_into_the_model(method: str, mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", f"structured_{method}", mockapi_server)
    assert seen["type"] == "CityWeather" and seen["parsing_error"] is None, seen
    parsed = seen["parsed"]
    assert parsed["city"] == PROMPT_CITY and parsed["temperature_c"] == 21 and parsed["conditions"].strip(), parsed
    [sent] = bodies(mockapi_server, "/chat/completions")
    if method == "json_schema":
        assert sent["response_format"]["type"] == "json_schema", sent
    else:
        assert [t["function"]["name"] for t in sent["tools"]] == ["CityWeather"], sent


@pytest.mark.slow
def test_langchain_responses_api_with_reasoning(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "responses_reasoning", mockapi_server)
    assert seen["text"].strip() and seen["response_id"].startswith("resp_"), seen
    assert "text" in seen["block_types"] and seen["usage"]["output_token_details"]["reasoning"] > 0, seen
    [sent] = bodies(mockapi_server, "/responses")
    assert sent["model"] == "gpt-5" and sent["reasoning"]["effort"] == "low", sent


@pytest.mark.slow
def test_langchain_responses_api_stream(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "responses_stream", mockapi_server)
    assert seen["chunks"] > 2 and seen["text"].strip() and seen["text"] == seen["merged_text"], seen
    assert seen["usage"]["output_token_details"]["reasoning"] > 0, seen
    [sent] = bodies(mockapi_server, "/responses")
    assert sent["stream"] is True and sent["reasoning"]["effort"] == "low", sent


@pytest.mark.slow
def test_langchain_responses_api_tool_round_trip(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "responses_tool_round_trip", mockapi_server)
    assert seen["tool_calls"] == [{"name": "get_weather", "args": {"city": PROMPT_CITY}}], seen
    assert seen["final_text"].strip() and seen["final_tool_calls"] == 0, seen
    assert_responses_tool_loop(mockapi_server, stream=False)


@pytest.mark.slow
def test_langchain_prompt_cache_explicit_breakpoint_is_read_back(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "prompt_cache", mockapi_server)
    first, second = (usage["input_token_details"] for usage in seen["usage"])
    assert first["cache_read"] == 0 and first["cache_creation"] > 1024, seen  # the marked prefix is written…
    assert second["cache_read"] == first["cache_creation"] and second["cache_creation"] == 0, seen  # …and read back
    # langchain-openai sends it to the Responses API (the bodies are longer than the journal keeps: not parsed here)
    calls = mockapi_server.calls.to("/responses")
    assert [c.status for c in calls] == [200, 200] and not mockapi_server.calls.to("/chat/completions"), mockapi_server.calls.describe()


@pytest.mark.slow
def test_langchain_embeddings(mockapi_server: Any) -> None:
    seen = run_client("langchain-openai", "embeddings", mockapi_server)
    assert seen == {"documents": 2, "dims": [1536, 1536], "query_dims": 1536, "all_floats": True}, seen
    assert len(bodies(mockapi_server, "/embeddings")) == 2


# -- litellm ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_litellm_completion_tool_round_trip(mockapi_server: Any) -> None:
    seen = run_client("litellm", "tool_round_trip", mockapi_server)
    assert seen["finish_reason"] == "tool_calls", seen
    assert seen["tool_calls"] == [{"name": "get_weather", "arguments": {"city": PROMPT_CITY}}], seen
    assert seen["final_text"].strip() and seen["final_finish_reason"] == "stop", seen
    assert seen["usage"]["reasoning_tokens"] > 0, seen
    sent = assert_chat_tool_loop(mockapi_server)
    assert all(b["model"] == "gpt-5" for b in sent), sent


@pytest.mark.slow
def test_litellm_streaming_with_usage(mockapi_server: Any) -> None:
    seen = run_client("litellm", "streaming", mockapi_server)
    assert seen["chunks"] > 2 and seen["streamed_text"].strip(), seen
    assert seen["streamed_text"] == seen["rebuilt_text"], seen
    assert seen["usage"]["completion_tokens"] > 0 and seen["usage"]["reasoning_tokens"] > 0, seen
    [sent] = bodies(mockapi_server, "/chat/completions")
    assert sent["model"] == "gpt-5" and sent["stream"] is True and sent["reasoning_effort"] == "low", sent


@pytest.mark.slow
def test_litellm_streamed_tool_call(mockapi_server: Any) -> None:
    seen = run_client("litellm", "streaming_tools", mockapi_server)
    assert seen["finish_reason"] == "tool_calls", seen
    [call] = seen["tool_calls"]
    assert call["name"] == "get_weather" and call["arguments"] == {"city": PROMPT_CITY}, seen
    [sent] = bodies(mockapi_server, "/chat/completions")
    assert sent["stream"] is True and [t["function"]["name"] for t in sent["tools"]] == ["get_weather"], sent


@pytest.mark.slow
def test_litellm_responses(mockapi_server: Any) -> None:
    seen = run_client("litellm", "responses", mockapi_server)
    assert seen["status"] == "completed" and seen["text"].strip(), seen
    assert seen["output_types"] == ["reasoning", "message"] and seen["reasoning_tokens"] > 0, seen
    [sent] = bodies(mockapi_server, "/responses")
    assert sent["model"] == "gpt-5" and sent["reasoning"]["effort"] == "low", sent


@pytest.mark.slow
def test_litellm_responses_stream(mockapi_server: Any) -> None:
    seen = run_client("litellm", "responses_stream", mockapi_server)
    types = seen["types"]
    assert types[0] == "response.created" and types[-1] == "response.completed", types
    assert seen["streamed_text"].strip() and seen["streamed_text"] == seen["final_text"], seen
    assert seen["reasoning_tokens"] > 0, seen
    [sent] = bodies(mockapi_server, "/responses")
    assert sent["stream"] is True and sent["reasoning"]["effort"] == "low", sent


@pytest.mark.slow
def test_litellm_embedding(mockapi_server: Any) -> None:
    seen = run_client("litellm", "embedding", mockapi_server)
    assert seen["count"] == 2 and seen["dims"] == [1536, 1536] and seen["prompt_tokens"] > 0, seen
    [sent] = bodies(mockapi_server, "/embeddings")
    assert sent["model"] == "text-embedding-3-small" and sent["input"] == ["The sky is blue.", "Grass is green."], sent


# -- pydantic-ai and instructor ---------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("api", ["chat", "responses"])
def test_pydantic_ai_agent_tool_loop(mockapi_server, api: str) -> None:
    seen = run_client("pydantic-ai", f"{api}_tools", mockapi_server)
    assert seen["calls"] == [["get_weather", {"city": PROMPT_CITY}]] and seen["returns"] == [TOOL_RESULT], seen
    assert TOOL_RESULT in seen["final"], seen  # the mock's answer quotes the tool result it was given
    if api == "chat":
        assert_chat_tool_loop(mockapi_server)
    else:
        sent = bodies(mockapi_server, "/responses")
        outputs = [i for i in sent[1]["input"] if isinstance(i, dict) and i.get("type") == "function_call_output"]
        assert len(sent) == 2 and TOOL_RESULT in str(outputs[0]["output"]), mockapi_server.calls.describe()


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["chat_structured", "responses_structured", "instructor"])
def test_structured_output_through_pydantic_ai_and_instructor(mockapi_server, scenario: str) -> None:
    assert run_client("pydantic-ai", scenario, mockapi_server) == {"city": "Paris", "country": "France"}


@pytest.mark.slow
@pytest.mark.parametrize("api", ["chat", "responses"])
def test_pydantic_ai_streams_text(mockapi_server, api: str) -> None:
    streamed = run_client("pydantic-ai", f"{api}_stream", mockapi_server)
    assert isinstance(streamed, str) and len(streamed.split()) > 3
