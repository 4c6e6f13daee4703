"""Bad input never gives a 5xx (issue 14): deep JSON gives 400, a body over the limit 413 without being buffered,
a stalled body 408, all in the OpenAI error shape."""

from __future__ import annotations

import time

import openai
import pytest
from conftest import API_KEY, make_engine
from raw_http import raw, read_reply, send_chunked_until_answered

from mockapi.core.limits import (
    DEFAULT_MAX_JSON_DEPTH,
    RequestLimits,
    json_depth_exceeds,
    parse_size,
)
from mockapi.doors.live import LiveServer

DEEP = 970  # what the fuzzing run sent: RecursionError (500) before the depth check


def _nested(levels: int, leaf: object = "x") -> object:
    """``levels`` arrays and objects inside each other around ``leaf``."""
    value: object = leaf
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


def _nested_text(levels: int) -> str:
    """The JSON text of ``_nested(levels)`` (built as text: JSON encoders refuse such depth themselves)."""
    opens, closes = [], []
    for i in range(levels):
        opens.append("[" if i % 2 else '{"k":')
        closes.append("]" if i % 2 else "}")
    return "".join(reversed(opens)) + '"x"' + "".join(closes)


def _post(mock, path: str, body: str):  # noqa: ANN001, ANN202 - the SDK client's own HTTP client, raw bytes
    return mock.client._client.post(mock.base_url + path, content=body.encode(),
                                    headers={"authorization": f"Bearer {API_KEY}", "content-type": "application/json"})


CHAT = '"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]'
DEEP_BODIES = {
    "metadata": ("/chat/completions", '{%s,"store":true,"metadata":{"a":%s}}'),
    "user": ("/chat/completions", '{%s,"user":%s}'),
    "response_format": ("/chat/completions",
                        '{%s,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":'
                        '{"type":"object","properties":{"a":%s}}}}}'),
    "responses_input": ("/responses", '{"model":"gpt-4o-mini","input":[%s]}'),
    "embeddings_input": ("/embeddings", '{"model":"text-embedding-3-small","input":%s}'),
}


@pytest.mark.parametrize("where", sorted(DEEP_BODIES))
def test_deep_nesting_is_a_400_not_a_500(mock, where):
    path, template = DEEP_BODIES[where]
    body = template % ((CHAT, _nested_text(DEEP)) if template.count("%s") == 2 else (_nested_text(DEEP),))
    reply = _post(mock, path, body)
    assert reply.status_code == 400, reply.text[:300]
    error = reply.json()["error"]
    assert "nested too deeply" in error["message"] and error["type"] == "invalid_request_error"
    assert set(error) == {"message", "type", "param", "code"}


def test_nesting_up_to_the_limit_is_accepted(mock):
    """The limit refuses only what is deeper: a body exactly at the limit goes on to the operation's own rules."""
    body = '{%s,"user":%s}' % (CHAT, _nested_text(DEFAULT_MAX_JSON_DEPTH - 1))  # the body object is the first level
    reply = _post(mock, "/chat/completions", body)
    assert reply.status_code < 500 and "nested too deeply" not in reply.text
    reply = _post(mock, "/chat/completions", '{%s,"user":%s}' % (CHAT, _nested_text(DEFAULT_MAX_JSON_DEPTH)))
    assert reply.status_code == 400 and "nested too deeply" in reply.text


def test_depth_check_is_iterative_and_exact():
    assert not json_depth_exceeds(_nested(128), 128) and json_depth_exceeds(_nested(129), 128)
    assert not json_depth_exceeds({"a": [1, {"b": []}]}, 4) and json_depth_exceeds({"a": [1, {"b": []}]}, 3)
    assert json_depth_exceeds(_nested(100_000), 128)  # no recursion, whatever the depth
    assert parse_size("64MB") == 64_000_000 and parse_size("1KiB") == 1024 and parse_size(10) == 10
    with pytest.raises(ValueError):
        RequestLimits.from_config({"max_body_bytes": "lots"})


@pytest.fixture
def small_server():
    """A live server whose JSON bodies may be at most 100 kB and may stall for at most half a second."""
    engine = make_engine(extra={"limits": {"max_body_bytes": "100kB", "body_timeout": 0.5}})
    with LiveServer(engine) as server:
        yield server


def test_body_over_the_limit_is_413_in_process_and_live(small_server):
    engine = small_server.engine
    big = "x" * 200_000
    from conftest import inprocess_clients

    inprocess, _ = inprocess_clients(engine, max_retries=0)
    live = openai.OpenAI(api_key=API_KEY, base_url=small_server.base_url, max_retries=0)
    for client in (inprocess, live):
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": big}])
        assert caught.value.status_code == 413
        assert caught.value.response.json()["error"]["code"] == "request_too_large"
    ok = live.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "small"}])
    assert ok.choices[0].message.content


def test_chunked_body_over_the_limit_is_refused_before_the_client_finishes(small_server):
    """A chunked body (no Content-Length) is cut off at the limit: the 413 arrives while the client still has
    megabytes to send, so the server never buffered them."""
    head = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"authorization: Bearer " + API_KEY.encode() + b"\r\ntransfer-encoding: chunked\r\n\r\n")
    sock = raw(small_server.port, head)
    try:  # 50 MB the client would send; the server must answer long before
        reply, sent = send_chunked_until_answered(sock, b"a" * 16384, 50_000_000)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b'"request_too_large"' in reply
    assert sent < 5_000_000, f"the client sent {sent} bytes before the server answered"


def test_declared_length_over_the_limit_is_refused_without_reading(small_server):
    head = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"authorization: Bearer " + API_KEY.encode() + b"\r\ncontent-length: 900000000\r\n\r\n")
    sock = raw(small_server.port, head)
    try:
        reply = read_reply(sock)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 413") and b'"invalid_request_error"' in reply


def test_a_stalled_body_times_out_with_408(small_server):
    head = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"authorization: Bearer " + API_KEY.encode() + b"\r\ncontent-length: 1000\r\n\r\n{\"model\":")
    sock = raw(small_server.port, head)
    started = time.monotonic()
    try:
        reply = read_reply(sock)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b'"request_timeout"' in reply
    assert time.monotonic() - started < 5


def test_what_uvicorn_answers_itself_is_openai_shaped(small_server):
    """A request uvicorn cannot parse never reaches the app: its 400 is JSON in the OpenAI shape all the same."""
    for request in (b"NOT A REQUEST LINE\r\n\r\n", b"GET /v1/models HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n"):
        sock = raw(small_server.port, request)
        try:
            reply = read_reply(sock)
        finally:
            sock.close()
        assert reply.startswith(b"HTTP/1.1 400"), reply[:200]
        assert b"content-type: application/json" in reply and b'"type":"invalid_request_error"' in reply


def test_oversized_headers_get_an_openai_shaped_error(small_server):
    sock = raw(small_server.port, b"GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 2_000_000 + b"\r\n\r\n")
    try:
        reply = read_reply(sock)
    except ConnectionResetError:
        reply = b""
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 4"), reply[:200]
    assert b"content-type: application/json" in reply


def test_a_connection_that_never_finishes_its_headers_is_closed(monkeypatch):
    monkeypatch.setattr("mockapi.doors.protocols.HEADER_TIMEOUT", 0.5)
    with LiveServer(make_engine()) as server:
        sock = raw(server.port, b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n")  # and then nothing
        try:
            reply = read_reply(sock)
        finally:
            sock.close()
    assert reply.startswith(b"HTTP/1.1 408") and b'"request_timeout"' in reply


def test_the_pure_python_protocol_answers_in_the_openai_shape_too():
    """Without httptools uvicorn uses h11: its 400s (bad request line, oversized headers) are JSON as well."""
    from services import uvicorn_in_thread

    from mockapi.doors.app import create_app
    from mockapi.doors.live import free_port
    from mockapi.doors.protocols import H11, uvicorn_options

    port = free_port()
    options = {**uvicorn_options(RequestLimits()), "http": H11}
    with uvicorn_in_thread(create_app(engine=make_engine()), port, log_level="critical", **options):
        for request in (b"NOT A REQUEST LINE\r\n\r\n", b"GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 200_000 + b"\r\n\r\n"):
            sock = raw(port, request)
            try:
                reply = read_reply(sock)
            except ConnectionResetError:  # the server closed while the client still had headers to send
                reply = b""
            finally:
                sock.close()
            assert reply.startswith(b"HTTP/1.1 400") and b'"invalid_http_request"' in reply, reply[:200]
