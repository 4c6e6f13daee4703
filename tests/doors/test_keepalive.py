"""The request-headers timeout holds for every request on a kept-alive connection, not just the first (issue 14),
in both of uvicorn's HTTP protocols; a connection upgraded to a WebSocket is not cut by it."""

from __future__ import annotations

import json
import socket
import time
from typing import Iterator

import pytest
from conftest import API_KEY, make_engine
from services import uvicorn_in_thread
from websockets.sync.client import connect as ws_connect

from mockapi.core.limits import RequestLimits
from mockapi.doors import protocols
from mockapi.doors.app import create_app
from mockapi.doors.live import free_port

TIMEOUT = 0.5  # the headers timeout these tests configure
PROTOCOLS = {"h11": protocols.H11, "httptools": protocols.HttpTools}


@pytest.fixture(params=sorted(PROTOCOLS))
def port(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A live server speaking one of uvicorn's HTTP protocols, whose headers timeout is ``TIMEOUT``."""
    if PROTOCOLS[request.param] is None:
        pytest.skip("httptools is not installed")
    monkeypatch.setattr(protocols, "HEADER_TIMEOUT", TIMEOUT)
    chosen = free_port()
    options = {**protocols.uvicorn_options(RequestLimits()), "http": PROTOCOLS[request.param]}
    with uvicorn_in_thread(create_app(engine=make_engine()), chosen, log_level="critical", loop="asyncio", **options):
        yield chosen


def _response(sock: socket.socket) -> tuple[bytes, bytes]:
    """One whole HTTP response (head, body) read from ``sock`` (a Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        assert part, f"the server closed the connection mid-response: {data[:200]!r}"
        data += part
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        part = sock.recv(65536)
        assert part
        body += part
    return head, body


def _until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the socket's timeout bounds the wait)."""
    data = b""
    while part := sock.recv(65536):
        data += part
    return data


def _get_models(sock: socket.socket) -> None:
    sock.sendall(b"GET /v1/models HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + API_KEY.encode() + b"\r\n\r\n")
    head, body = _response(sock)
    assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["object"] == "list"


def test_a_second_half_sent_request_is_closed_within_the_timeout(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10 * TIMEOUT) as sock:
        _get_models(sock)
        _get_models(sock)  # the connection is kept alive: a second request is served on it
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: appl")  # and then nothing
        started = time.monotonic()
        reply = _until_closed(sock)  # a socket.timeout (the test fails) if the server never gives up
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b'"code":"request_timeout"' in reply and b"content-type: application/json" in reply
    assert time.monotonic() - started < 5 * TIMEOUT


def test_requests_sent_in_time_on_a_kept_alive_connection_are_served(port):
    """The clock runs per request: slow traffic that sends each request's headers in time is never cut."""
    with socket.create_connection(("127.0.0.1", port), timeout=10 * TIMEOUT) as sock:
        for _ in range(3):
            _get_models(sock)
        request = b"GET /v1/models HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + API_KEY.encode() + b"\r\n\r\n"
        sock.sendall(request[:20])
        sock.sendall(request[20:])
        head, _ = _response(sock)
    assert head.startswith(b"HTTP/1.1 200")


def test_a_websocket_session_outlives_the_headers_timeout(port):
    with ws_connect(f"ws://127.0.0.1:{port}/v1/realtime?model=gpt-realtime",
                    additional_headers={"authorization": f"Bearer {API_KEY}"}) as ws:
        assert json.loads(ws.recv(timeout=10 * TIMEOUT))["type"] == "session.created"
        with pytest.raises(TimeoutError):  # nothing arrives (no 408 written into the session) past the timeout
            ws.recv(timeout=3 * TIMEOUT)
        ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}}))
        assert json.loads(ws.recv(timeout=10 * TIMEOUT))["type"] == "session.updated"
