"""The plugin's fixtures used directly by this suite: streaming, canned replies, Hypothesis, Azure, both modes."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any, Iterator

import httpx
import httpx2
import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapi.core.results import Reply

HELLO = [{"role": "user", "content": "Write a long story about bridges."}]
KEY = {"authorization": "Bearer sk-test-0123456789", "content-type": "application/json"}
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}


class ProductionSpy:
    """An engine hook counting the stream chunks the engine has produced so far."""

    def __init__(self) -> None:
        self.produced = 0
        self.finished = False

    def before(self, call: Any) -> None:
        return None

    def after(self, call: Any, reply: Reply) -> Reply:
        if reply.stream is not None:
            reply.stream = self._count(reply.stream)
        return reply

    def _count(self, chunks: Iterator[Any]) -> Iterator[Any]:
        try:
            for chunk in chunks:
                if isinstance(chunk, bytes):
                    self.produced += 1
                yield chunk
        finally:  # exhausted, or closed by a client that stopped at [DONE]
            self.finished = True


@pytest.fixture
def spy(mockapi) -> ProductionSpy:
    found = ProductionSpy()
    mockapi.engine.hooks.append(found)
    return found


def test_sdk_reads_the_first_chunk_before_the_engine_produced_the_last(mockapi, spy):
    stream = mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
    first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    at_first = spy.produced
    assert not spy.finished and at_first < 5, f"the engine produced {at_first} chunks before the first was read"
    rest = list(stream)
    assert spy.finished and spy.produced > at_first + 5 and len(rest) > 5


@pytest.mark.parametrize("library", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_raw_streams_are_incremental_for_both_libraries(mockapi, spy, library):
    body = json.dumps({"model": "gpt-4o", "messages": HELLO, "stream": True})
    with library.stream("POST", "https://api.openai.com/v1/chat/completions", headers=KEY, content=body) as response:
        chunks = response.iter_raw()
        first = next(chunks)
        assert first.startswith(b"data: ") and not spy.finished and spy.produced < 5
        rest = b"".join(chunks)
    assert spy.finished and rest.rstrip().endswith(b"data: [DONE]")


async def test_async_stream_is_incremental(mockapi, spy):
    stream = await mockapi.async_client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
    iterator = stream.__aiter__()
    await iterator.__anext__()
    assert not spy.finished
    remaining = [chunk async for chunk in iterator]
    assert spy.finished and remaining[-1].choices[0].finish_reason == "stop"


def test_in_process_opens_no_socket(mockapi, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert list(mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    assert openai.OpenAI().models.list().data
    with pytest.raises(AssertionError, match="a socket was opened"):  # the guard itself works
        socket.create_connection(("127.0.0.1", 9))


def test_queued_tool_calls_and_refusal(mockapi):
    mockapi.queue(tool_calls=[{"name": "get_weather", "arguments": {"location": "Oslo"}}], tools=["get_weather"])
    mockapi.queue(refusal="I can't help with that.", message="(?i)secret")
    called = mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO, tools=[WEATHER])
    assert json.loads(called.choices[0].message.tool_calls[0].function.arguments) == {"location": "Oslo"}
    refused = mockapi.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Tell a secret"}])
    assert refused.choices[0].message.refusal == "I can't help with that."


def test_a_queued_error_is_not_retried_when_marked_final(mockapi):
    mockapi.queue(status=400, error="Bad thing.")
    with pytest.raises(openai.BadRequestError, match="Bad thing."):
        mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO)
    mockapi.calls.assert_called("createChatCompletion", times=1)


def test_a_queued_stream_fault_cuts_the_stream(mockapi):
    mockapi.queue(fault="cut after=2")
    client = mockapi.openai_client(max_retries=0)
    with pytest.raises(Exception):
        list(client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    assert mockapi.calls.last.entry.fault.endswith("cut after=2")


def test_rate_limits_apply_to_the_session_key(mockapi):
    mockapi.rate_limits.set(rpm=1)
    client = mockapi.openai_client(max_retries=0)
    client.chat.completions.create(model="gpt-4o", messages=HELLO)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="gpt-4o", messages=HELLO)
    mockapi.clock.advance(61)
    client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert [c.status for c in mockapi.calls] == [200, 429, 200]


def test_azure_openai_is_served_in_process(mockapi):
    client = openai.AzureOpenAI(azure_endpoint="https://contoso.openai.azure.com", api_key="azure-key",
                                api_version="2024-10-21")
    reply = client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert reply.choices[0].message.content
    mockapi.calls.assert_called("/chat/completions", times=1)
    assert mockapi.calls.last.path.startswith("/openai/deployments/gpt-4o/")


@pytest.mark.parametrize("region", ["eu", "jp"])
def test_a_regional_endpoint_is_served_in_process(mockapi, region):
    client = openai.OpenAI(api_key="sk-test-0123456789", data_residency=region)  # https://<region>.api.openai.com/v1
    assert client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content
    mockapi.calls.assert_called("/v1/chat/completions", times=1)


def test_the_sdks_websockets_reach_the_in_process_mock(mockapi):
    # client.responses.connect() and client.realtime.connect() open sockets with the `websockets` package, not httpx:
    # the interception sends them to a loopback server over the same engine, so they share state and the journal.
    first = mockapi.client.responses.create(model="gpt-4o-mini", input="Remember: my name is Ada.")
    with mockapi.client.responses.connect() as conn:
        conn.response.create(model="gpt-4o-mini", input="What is my name?", previous_response_id=first.id)
        done = next(e for e in conn if e.type == "response.completed")
    assert "Ada" in done.response.output_text
    with mockapi.client.realtime.connect(model="gpt-realtime") as rt:
        assert rt.recv().type == "session.created"
    assert [c.path for c in mockapi.calls] == ["/v1/responses", "/v1/responses", "/v1/realtime"]


def test_an_async_websocket_reaches_the_in_process_mock(mockapi):
    async def run() -> str:
        async with mockapi.async_client.responses.connect() as conn:
            await conn.response.create(model="gpt-4o-mini", input="Hello over an async socket.")
            async for event in conn:
                if event.type == "response.completed":
                    return event.response.status
        return "no response.completed"

    assert asyncio.run(run()) == "completed"


def test_both_modes_in_one_test(mockapi, mockapi_server):
    mockapi.queue("in-process")
    mockapi_server.queue("live")
    live = openai.OpenAI(base_url=mockapi_server.base_url, api_key="sk-test-0123456789")
    assert live.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content == "live"
    assert mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content == "in-process"
    assert len(mockapi.calls) == 1 and len(mockapi_server.calls) == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="abcdefgh ", min_size=1, max_size=20))
def test_fresh_resets_state_for_each_hypothesis_example(mockapi, text):
    with mockapi.fresh():
        mockapi.queue(content=text.upper())
        reply = mockapi.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
        assert reply.choices[0].message.content == text.upper()
        assert len(mockapi.calls) == 1 and not mockapi.engine.overrides.queued


def test_the_session_clients_use_the_default_http_client(mockapi):
    assert type(mockapi.client._client).__module__.split(".")[0] in ("openai", "httpx", "httpx2")
    async def list_models() -> list[Any]:
        return [m async for m in mockapi.async_client.models.list()]

    assert asyncio.run(list_models())
    mockapi.calls.assert_called("/models", times=1)


@pytest.mark.parametrize(("base", "url", "served"), [
    ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions", True),
    ("https://api.openai.com/v1", "https://api.openai.com:443/v1/models", True),
    ("https://api.openai.com/v1", "http://api.openai.com/v1/models", False),
    ("https://api.openai.com/v1", "https://api.openai.com/v10/models", False),
    ("https://*.openai.azure.com", "https://contoso.openai.azure.com/openai/deployments/d/chat/completions", True),
    ("https://*.openai.azure.com", "https://openai.azure.com.evil.example/openai/x", False),
    ("https://*.api.openai.com/v1", "https://eu.api.openai.com/v1/models", True),
    ("https://*.api.openai.com/v1", "https://eu.api.openai.com.evil.example/v1/models", False),
    ("http://localhost:8080/llm/v1", "http://localhost:8080/llm/v1/embeddings", True),
    ("http://localhost:8080/llm/v1", "http://localhost:8081/llm/v1/embeddings", False),
])
def test_base_url_matching(base, url, served):
    from mockapi.intercept import BaseURL

    assert BaseURL.parse(base).matches(httpx.URL(url)) is served
