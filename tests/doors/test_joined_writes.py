"""A response's head and body leave in one write (issue 15): the joiner itself, then both of uvicorn's protocols live.

uvicorn writes a response's head at ``http.response.start`` and its body at ``http.response.body`` (and h11 its
end apart): two or three system calls and TCP segments per answer, the first waking the client for a head alone.
``JoinedWrites`` sends a turn of the event loop's writes as one, at the turn's end: nothing reordered, nothing
left waiting.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any, ClassVar, Iterator

import httpx
import openai
import pytest
from conftest import API_KEY, make_engine
from services import uvicorn_in_thread

from mockapi.core.limits import RequestLimits
from mockapi.doors import protocols
from mockapi.doors.app import create_app
from mockapi.doors.live import free_port
from mockapi.doors.protocols import JoinedWrites


class RecordingTransport:
    """What a transport was asked to do, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        assert not self.closing, "written after close"
        self.calls.append(("write", bytes(data)))

    def writelines(self, chunks: list[bytes]) -> None:
        self.write(b"".join(chunks))  # recorded as one write: a vectored one, for uvloop

    def close(self) -> None:
        self.calls.append(("close", b""))
        self.closing = True

    def abort(self) -> None:
        self.calls.append(("abort", b""))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 8000) if name == "sockname" else default


def run_in_loop(steps: Any) -> RecordingTransport:
    """Run ``steps(joined, transport)`` (a coroutine function) on a fresh event loop; the transport it wrote to."""
    transport = RecordingTransport()

    async def main() -> None:
        await steps(JoinedWrites(transport, asyncio.get_running_loop()), transport)  # type: ignore[arg-type]

    asyncio.run(main())
    return transport


def test_a_head_and_the_body_after_it_in_the_same_turn_leave_in_one_write():
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        joined.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        joined.write(bytearray(b"{}"))
        joined.write(b"")  # h11's end of a sized body: nothing to send
        assert transport.calls == []  # held until the turn ends
        await asyncio.sleep(0)

    assert run_in_loop(steps).calls == [("write", b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")]


def test_a_buffer_the_writer_reuses_is_copied_when_held():
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        buffer = bytearray(b"first")
        joined.write(buffer)
        buffer[:] = b"later"
        await asyncio.sleep(0)

    assert run_in_loop(steps).calls == [("write", b"first")]


def test_a_lone_write_leaves_at_the_end_of_the_loops_turn():
    """A stream's head is not held until its first event: it leaves as soon as the loop turns."""
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        joined.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        assert transport.calls == []
        await asyncio.sleep(0)
        assert transport.calls == [("write", b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")]
        joined.write(b"5\r\nfirst\r\n")
        joined.write(b"6\r\nsecond\r\n")
        await asyncio.sleep(0)
        joined.write(b"0\r\n\r\n")
        await asyncio.sleep(0)

    calls = run_in_loop(steps).calls
    assert [data for _, data in calls] == [b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
                                           b"5\r\nfirst\r\n6\r\nsecond\r\n", b"0\r\n\r\n"]


def test_close_sends_what_is_held_first_and_nothing_is_written_once_closing():
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        joined.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
        joined.close()
        joined.write(b"late")  # held, then dropped: the transport is closing when the flush comes
        await asyncio.sleep(0)

    assert run_in_loop(steps).calls == [("write", b"HTTP/1.1 500 Internal Server Error\r\n\r\n"), ("close", b"")]


def test_abort_sends_what_is_held_first():
    """A fault's cut drops the connection after the events written before it, not instead of them."""
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        joined.write(b"data: 1\n\n")
        joined.write(b"data: 2\n\n")
        joined.abort()
        await asyncio.sleep(0)

    assert run_in_loop(steps).calls == [("write", b"data: 1\n\ndata: 2\n\n"), ("abort", b"")]


def test_writelines_unwrap_and_the_transports_own_attributes():
    async def steps(joined: JoinedWrites, transport: RecordingTransport) -> None:
        joined.write(b"a")
        joined.writelines([b"b", bytearray(b"c"), memoryview(b"d")])
        assert joined.unwrap() is transport  # what is held leaves first
        assert transport.calls == [("write", b"abcd")]
        assert joined.get_extra_info("sockname") == ("127.0.0.1", 8000) and not joined.is_closing()
        joined.write(b"e")
        await asyncio.sleep(0)

    assert run_in_loop(steps).calls == [("write", b"abcd"), ("write", b"e")]


class CountingJoiner(JoinedWrites):
    """The server's joiner, counting what reaches the socket: one entry per write to the real transport."""

    writes: ClassVar[list[bytes]] = []

    def __init__(self, transport: Any, loop: asyncio.AbstractEventLoop) -> None:
        outer = self

        class Counted:
            def __getattr__(self, name: str) -> Any:
                return getattr(transport, name)

            def write(self, data: bytes) -> None:
                outer.writes.append(bytes(data))
                transport.write(data)

            def writelines(self, chunks: list[bytes]) -> None:
                outer.writes.append(b"".join(chunks))  # one vectored write (uvloop), or one joined write
                transport.writelines(chunks)

        super().__init__(Counted(), loop)  # type: ignore[arg-type]


PROTOCOLS = {"h11": protocols.H11, "httptools": protocols.HttpTools}


@pytest.fixture(params=[(protocol, loop) for protocol in sorted(PROTOCOLS) for loop in ("asyncio", "uvloop")],
                ids=lambda param: "-".join(param))
def port(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A live server speaking one of uvicorn's HTTP protocols on one of its loops (uvloop's transports write a
    list in one vectored write), its socket writes counted in ``CountingJoiner.writes``."""
    protocol, loop = request.param
    if PROTOCOLS[protocol] is None:
        pytest.skip("httptools is not installed")
    if loop == "uvloop":
        pytest.importorskip("uvloop")
    monkeypatch.setattr(protocols, "JoinedWrites", CountingJoiner)
    monkeypatch.setattr(CountingJoiner, "writes", [])
    chosen = free_port()
    options = {**protocols.uvicorn_options(RequestLimits()), "http": PROTOCOLS[protocol]}
    with uvicorn_in_thread(create_app(engine=make_engine()), chosen, log_level="critical", loop=loop,
                           timeout_graceful_shutdown=1, **options):
        yield chosen


def _client(port: int) -> openai.OpenAI:
    return openai.OpenAI(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)


def test_an_answer_leaves_in_one_write_whole(port):
    client = _client(port)
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}])
    assert completion.choices[0].message.content
    [written] = CountingJoiner.writes  # head and body together
    head, body = written.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["id"] == completion.id


def test_a_stream_arrives_whole_and_in_order(port):
    client = _client(port)
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", stream=True,
                                                 messages=[{"role": "user", "content": "Tell me about bridges"}]))
    assert chunks[-1].choices[0].finish_reason == "stop"
    streamed = b"".join(CountingJoiner.writes)
    assert streamed.startswith(b"HTTP/1.1 200") and streamed.count(b"data: ") == len(chunks) + 1  # and [DONE]
    assert b"data: " in CountingJoiner.writes[0], "the head left alone, not with the first events"


def test_pipelined_requests_are_answered_in_order(port):
    """Two requests sent at once: each answer leaves whole and in the order they were asked."""
    get = lambda path: (f"GET {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {API_KEY}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(get("/v1/models/gpt-4o-mini") + get("/v1/models/does-not-exist"))
        data = b""
        while data.count(b"HTTP/1.1 ") < 2 or not data.endswith(b"}"):
            part = sock.recv(65536)
            assert part, data
            data += part
    first, second = data.split(b"HTTP/1.1 ")[1:]
    assert first.startswith(b"200") and b'"id":"gpt-4o-mini"' in first
    assert second.startswith(b"404") and b'"code":"model_not_found"' in second


def test_httpx_sees_the_same_answer_over_the_joined_connection(port):
    """A plain HTTP client reads the same head and body, kept alive over several requests."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"authorization": f"Bearer {API_KEY}"}) as http:
        answers = [http.get("/v1/models/gpt-4o-mini") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.json()["id"] for a in answers} == {"gpt-4o-mini"}
    assert len(CountingJoiner.writes) == 3


def test_a_streams_head_leaves_before_its_first_event_is_due(port):
    """The head is not held for the first event: with the first token 30 s away, the head arrives alone.
    (The stream is still waiting when the test ends: the server's graceful shutdown cancels it after 1 s.)"""
    body = json.dumps({"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "Hi"}]}).encode()
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {API_KEY}\r\n"
               f"content-type: application/json\r\nx-mockapi-latency: ttft=30\r\ncontent-length: {len(body)}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode() + body)
        data = b""
        while b"\r\n\r\n" not in data:
            part = sock.recv(65536)  # a socket.timeout (the test fails) if the head waits for the first event
            assert part, data
            data += part
    assert data.startswith(b"HTTP/1.1 200") and b"text/event-stream" in data and b"data: " not in data


def test_a_client_that_waits_for_100_continue_gets_it(port):
    """``Expect: 100-continue``: the interim answer the client waits for is not held for the final one."""
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}).encode()
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {API_KEY}\r\n"
               f"content-type: application/json\r\nexpect: 100-continue\r\ncontent-length: {len(body)}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        interim = sock.recv(65536)  # a socket.timeout if the 100 waited for the body it asks for
        assert interim.startswith(b"HTTP/1.1 100"), interim
        sock.sendall(body)
        data = interim.split(b"\r\n\r\n", 1)[1]
        while not data.endswith(b"}"):
            part = sock.recv(65536)
            assert part, data
            data += part
    assert data.startswith(b"HTTP/1.1 200") and b'"object":"chat.completion"' in data
