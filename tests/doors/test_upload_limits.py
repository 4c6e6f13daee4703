"""Multipart uploads have their own size limit per route (issue 14): a 413 in the real wording, refused while the
body arrives (never spooled past the limit), through both doors."""

from __future__ import annotations

import openai
import pytest
from conftest import API_KEY, make_engine
from raw_http import raw, read_reply, send_chunked_until_answered

from mockapi.core.limits import MULTIPART_DEFAULTS, RequestLimits, multipart_route
from mockapi.doors.live import LiveServer

SMALL = {"files": "20kB", "upload_parts": "8kB", "audio": "6kB"}


@pytest.fixture
def small(mock, monkeypatch):
    """The mock (both doors) with small multipart limits, as ``limits.max_multipart_bytes`` configures them."""
    monkeypatch.setattr(mock.engine, "limits", RequestLimits.from_config({"max_multipart_bytes": SMALL}))
    return mock


def _refused(call) -> dict:  # noqa: ANN001 - a zero-argument SDK call expected to fail with 413
    with pytest.raises(openai.APIStatusError) as caught:
        call()
    assert caught.value.status_code == 413
    return caught.value.response.json()["error"]


def test_a_file_over_the_files_limit_is_413(small):
    error = _refused(lambda: small.client.files.create(file=("big.txt", b"x" * 30_000), purpose="assistants"))
    assert error["message"].startswith("Maximum content size limit (20000) exceeded (")
    assert error["type"] == "invalid_request_error" and error["code"] == "request_too_large"
    kept = small.client.files.create(file=("ok.txt", b"x" * 15_000), purpose="assistants")
    assert kept.bytes == 15_000
    assert [f.id for f in small.client.files.list()] == [kept.id]  # the refused upload left no file behind


def test_each_route_has_its_own_limit(small):
    """An upload part is held to its 8 kB, while /files takes the same bytes."""
    upload = small.client.uploads.create(bytes=12_000, filename="p.txt", mime_type="text/plain", purpose="assistants")
    _refused(lambda: small.client.uploads.parts.create(upload.id, data=b"y" * 12_000))
    assert small.client.uploads.parts.create(upload.id, data=b"y" * 6_000).object == "upload.part"
    assert small.client.files.create(file=("p.txt", b"y" * 12_000), purpose="assistants").bytes == 12_000


def test_audio_over_its_limit_is_413(small):
    error = _refused(lambda: small.client.audio.transcriptions.create(model="whisper-1",
                                                                      file=("a.wav", b"RIFF" + b"\0" * 10_000)))
    assert "Maximum content size limit (6000)" in error["message"]


def test_route_names_and_configuration():
    assert multipart_route("/v1/files") == "files" and multipart_route("/files") == "files"
    assert multipart_route("/v1/uploads/upload_abc/parts") == "upload_parts"
    assert multipart_route("/openai/deployments/whisper/audio/translations") == "audio"
    assert multipart_route("/v1/images/edits") == multipart_route("/v1/images/variations") == "images"
    assert multipart_route("/v1/containers/cntr_1/files") == "container_files"
    assert multipart_route("/v1/skills/skill_1/versions") == multipart_route("/v1/skills") == "skills"
    assert multipart_route("/v1/realtime/calls") == "default"
    defaults = RequestLimits()
    assert defaults.multipart_limit("/v1/audio/transcriptions") == 26214400  # the real server's number
    assert defaults.multipart_limit("/v1/files") > 512 * 2**20 > defaults.multipart_limit("/v1/uploads/u/parts") > 64 * 2**20
    one = RequestLimits.from_config({"max_multipart_bytes": "1MB"})
    assert set(one.max_multipart_bytes.values()) == {1_000_000} and set(one.max_multipart_bytes) == set(MULTIPART_DEFAULTS)
    assert defaults.body_limit("/v1/files", "application/json") == defaults.max_body_bytes
    with pytest.raises(ValueError, match="unknown routes"):
        RequestLimits.from_config({"max_multipart_bytes": {"filez": "1MB"}})
    with pytest.raises(ValueError):
        RequestLimits.from_config({"max_multipart_bytes": {"files": 0}})


# -- the live server: refused as the body arrives --------------------------------------------------------------

@pytest.fixture
def small_server():
    engine = make_engine(extra={"limits": {"max_multipart_bytes": SMALL}})
    with LiveServer(engine) as server:
        yield server


def _head(path: str, extra: bytes) -> bytes:
    return (b"POST " + path.encode() + b" HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + API_KEY.encode() +
            b"\r\ncontent-type: multipart/form-data; boundary=b0und\r\n" + extra + b"\r\n")


def _send_until_answered(port: int, head: bytes, body_size: int) -> tuple[bytes, int]:
    """Send ``head`` and then a chunked multipart body of up to ``body_size`` bytes; the reply and the bytes sent before it."""
    sock = raw(port, head)
    try:
        return send_chunked_until_answered(
            sock, b"--b0und\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n" + b"z" * 16000, body_size)
    finally:
        sock.close()


def test_a_chunked_upload_is_refused_before_the_client_finishes(small_server):
    reply, sent = _send_until_answered(small_server.port, _head("/v1/files", b"transfer-encoding: chunked\r\n"),
                                       50_000_000)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"Maximum content size limit (20000)" in reply and b'"invalid_request_error"' in reply
    assert sent < 5_000_000, f"the client sent {sent} bytes before the server answered"


@pytest.mark.parametrize("path, size", [("/v1/files", 600 * 2**20), ("/v1/audio/transcriptions", 26214401),
                                        ("/v1/uploads/upload_x/parts", 70 * 2**20)])
def test_a_declared_length_over_the_default_limit_is_refused_without_reading(path, size):
    """The defaults (no config): the declared Content-Length alone gets the 413, before a byte of the body."""
    with LiveServer(make_engine()) as server:
        sock = raw(server.port, _head(path, b"content-length: %d\r\n" % size))
        try:
            reply = read_reply(sock)
        finally:
            sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"Maximum content size limit (%d) exceeded (%d bytes read)" % (
        RequestLimits().multipart_limit(path), size) in reply
