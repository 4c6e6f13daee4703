"""One leg of the compatibility matrix: run by pytest inside a venv holding another openai SDK.

Copied to a temporary directory and run there, with the mockapi plugin installed in that venv
(entry point, not ``-p``), so every check goes through the SDK's default HTTP client.
"""

import asyncio
import socket

import openai
import pytest

HELLO = [{"role": "user", "content": "Hello there"}]


def _no_socket(*args, **kwargs):
    raise AssertionError("the in-process mode opened a socket")


@pytest.fixture(params=["mockapi", "mockapi_server"], ids=["inprocess", "live"])
def mock(request, monkeypatch):
    session = request.getfixturevalue(request.param)
    if session.mode == "inprocess":  # prove it: no connection may be made while the test runs
        monkeypatch.setattr(socket.socket, "connect", _no_socket)
    return session


def test_sync_chat(mock):
    reply = openai.OpenAI().chat.completions.create(model="gpt-4o", messages=HELLO)  # base URL and key from the env
    assert reply.choices[0].message.content and reply.usage.total_tokens > 0
    mock.calls.assert_called("/chat/completions", times=1)


def test_async_chat(mock):
    async def run():
        return await openai.AsyncOpenAI().chat.completions.create(model="gpt-4o", messages=HELLO)

    plain = mock.client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert asyncio.run(run()).choices[0].message.content == plain.choices[0].message.content


def test_streaming_chat(mock):
    mock.queue("A queued answer, streamed.")
    chunks = list(mock.client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "A queued answer, streamed."

    async def run():
        stream = await mock.async_client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    plain = mock.client.chat.completions.create(model="gpt-4o", messages=HELLO).choices[0].message.content
    assert asyncio.run(run()) == plain


def test_retry_after_a_queued_429(mock):
    mock.queue(status=429)
    mock.client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert [c.status for c in mock.calls] == [429, 200] and mock.calls.retry_count == 1


def test_responses_stream(mock):
    if not hasattr(mock.client, "responses"):
        pytest.skip(f"SDK: openai {openai.__version__} has no Responses API")
    if "createResponse" not in mock.engine.handlers:
        pytest.skip("mock: POST /v1/responses is not served yet")
    events = list(mock.client.responses.create(model="gpt-4o", input="Hello there", stream=True))
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text and text == events[-1].response.output_text


def test_embeddings(mock):
    if "createEmbedding" not in mock.engine.handlers:
        pytest.skip("mock: POST /v1/embeddings is not served yet")
    reply = mock.client.embeddings.create(model="text-embedding-3-small", input=["one", "two"])
    assert [len(d.embedding) for d in reply.data] == [1536, 1536]
    mock.calls.assert_called("/embeddings", times=1)
