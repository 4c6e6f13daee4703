"""``mockapi verify``: our own server passes; a deliberately broken gateway gets the right failures."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Iterator
from xml.etree import ElementTree as ET

import pytest
from services import uvicorn_in_thread

from mockapi.assembly import build_engine
from mockapi.contract import load_contract
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request
from mockapi.core.store import MemoryStore
from mockapi.doors.live import LiveServer, free_port
from mockapi.harness.server import ServerVerifier, select

# Where our mock and the contract (generated from the SDK's types) disagree. Each must still fail, so this
# list shrinks as they are resolved (then the test below says which entry to remove).
KNOWN_DEVIATIONS: dict[str, str] = {}


def verify_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``mockapi verify …`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "mockapi", "verify", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def own_server() -> Iterator[LiveServer]:
    engine = build_engine(Settings(), store=MemoryStore(), clock=Clock(frozen_at=1_750_000_000.0))
    with LiveServer(engine) as server:
        yield server


def test_our_own_server_passes_mockapi_verify(own_server, tmp_path):
    report = tmp_path / "verify.xml"
    skips = [arg for case in KNOWN_DEVIATIONS for arg in ("--skip", case)]
    done = verify_cli("--base-url", own_server.base_url, "--junit", str(report), "--max-examples", "5", *skips)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " 0 failed" in done.stdout
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("failures") == "0" and int(suite.get("tests")) > 150
    names = {(case.get("classname"), case.get("name")) for case in suite.iter("testcase")}
    for expected in [("verify.createChatCompletion", "stream"), ("verify.createResponse", "stream"),
                     ("verify.createEmbedding", "invalid"), ("verify.getAssistant", "unknown id"),
                     ("verify.createAssistant > getAssistant > deleteAssistant", "stateful"),
                     ("verify.createFile > retrieveFile > deleteFile", "stateful")]:
        assert expected in names


@pytest.mark.parametrize("case", sorted(KNOWN_DEVIATIONS))
def test_known_deviations_still_fail(own_server, case):
    operation, kind = case.split(":")
    report = ServerVerifier(own_server.base_url, max_examples=10).run([operation])
    failed = {f"{c.operation}:{c.kind}": c.failure for c in report.failures}
    assert case in failed, f"{case} passes now: remove it from KNOWN_DEVIATIONS"
    assert KNOWN_DEVIATIONS[case] in failed[case]


# -- a deliberately broken gateway ------------------------------------------------------------------
def broken_gateway(engine: Engine):  # noqa: ANN201 - a Starlette app
    """A gateway in front of the engine with one bug per operation."""
    from starlette.applications import Starlette
    from starlette.requests import Request as HTTPRequest
    from starlette.responses import Response
    from starlette.routing import Route

    async def forward(http: HTTPRequest) -> Response:
        body = await http.body()
        path = http.url.path
        request = Request(http.method, path, {k.lower(): v for k, v in http.headers.items()}, body, http.url.query)
        if path.startswith("/v1/assistants/") and http.method == "DELETE":  # bug: says deleted, keeps the object
            request = Request("GET", path, request.headers, b"", "")
        reply = engine.handle(request)
        if http.method == "DELETE" and reply.status == 200:
            reply.body = json.dumps({"id": path.rsplit("/", 1)[-1], "object": "assistant.deleted", "deleted": True}).encode()
        content = reply.body if reply.stream is None else b"".join(c for c in reply.stream if isinstance(c, bytes))
        headers = dict(reply.headers)
        headers.pop("content-length", None)
        status = reply.status
        try:
            parsed = json.loads(body) if body else {}
        except ValueError:
            parsed = {}
        parsed = parsed if isinstance(parsed, dict) else {}
        if path == "/v1/models" and http.method == "GET":  # bug: drops a required field and the request id
            data = json.loads(content)
            data.pop("object")
            content = json.dumps(data).encode()
            headers.pop("x-request-id")
        elif path.startswith("/v1/models/") and status == 404:  # bug: an unknown id is a 200
            status, content = 200, b"{}"
        elif path == "/v1/embeddings" and status == 400:  # bug: bad input crashes
            status, content = 500, b'{"error": {"message": "boom", "type": "server_error", "param": null, "code": null}}'
        elif path == "/v1/chat/completions" and parsed.get("stream"):  # bug: the stream never says [DONE]
            content = content.replace(b"data: [DONE]\n\n", b"")
        elif path == "/v1/chat/completions" and status == 200:  # bug: JSON labelled as text
            headers["content-type"] = "text/plain"
        return Response(content, status_code=status, headers=headers)

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST", "DELETE"])])


@pytest.fixture(scope="module")
def broken_server() -> Iterator[str]:
    engine = build_engine(Settings(), store=MemoryStore(), clock=Clock(frozen_at=1_750_000_000.0))
    port = free_port()
    with uvicorn_in_thread(broken_gateway(engine), port, log_level="warning"):
        yield f"http://127.0.0.1:{port}/v1"


def test_a_broken_server_gets_the_right_failures(broken_server, tmp_path):
    report = tmp_path / "broken.xml"
    ops = "listModels,retrieveModel,createEmbedding,createChatCompletion,createAssistant,getAssistant,deleteAssistant"
    done = verify_cli("--base-url", broken_server, "--only", ops, "--max-examples", "5", "--junit", str(report))
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    expected = {
        "listModels [valid]": ["header x-request-id missing", "'object' is a required property"],
        "retrieveModel [unknown id]": ["HTTP 200 to an invalid request"],
        "createEmbedding [invalid]": ["HTTP 500 to an invalid request"],
        "createEmbedding [bad json]": ["HTTP 500 to an invalid request"],
        "createChatCompletion [stream]": ["does not end with 'data: [DONE]"],
        "createChatCompletion [valid]": ["content-type 'text/plain'"],
        "createAssistant > getAssistant > deleteAssistant [stateful]": ["after delete: HTTP 200"],
    }
    failures = [line for line in out.splitlines() if line.startswith("FAIL ")]
    for case, reasons in expected.items():
        line = next((f for f in failures if f.startswith(f"FAIL {case}:")), None)
        assert line is not None, f"{case} not reported:\n{out}"
        for reason in reasons:
            assert reason in line, line
    assert len(failures) == len(expected), "\n".join(failures)
    for passing in ("createEmbedding [valid]", "createAssistant [valid]", "getAssistant [unknown id]"):
        assert not any(f.startswith(f"FAIL {passing}") for f in failures)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("failures") == str(len(expected))
    failed = {(c.get("classname"), c.get("name")) for c in suite.iter("testcase") if c.find("failure") is not None}
    assert ("verify.createEmbedding", "invalid") in failed and ("verify.listModels", "valid") in failed


def test_the_table_has_one_row_per_operation(broken_server):
    done = verify_cli("--base-url", broken_server, "--only", "models", "--max-examples", "2")
    rows = [line.split()[0] for line in done.stdout.splitlines()[2:] if line and not line.startswith("http") and not line.startswith("FAIL")]
    assert rows == ["listModels", "deleteModel", "retrieveModel"]


def test_unknown_groups_are_refused():
    done = verify_cli("--base-url", "http://127.0.0.1:9/v1", "--only", "chatt")
    assert done.returncode == 2 and "unknown operations or groups ['chatt']" in done.stderr


def test_groups_select_operations():
    contract = load_contract()
    chat = {op.operation_id for op in select(contract, ["chat"])}
    assert {"createChatCompletion", "getChatCompletion", "listChatCompletions"} <= chat
    assert all(op.path.startswith("/chat") for op in select(contract, ["chat"]))
    assert [op.operation_id for op in select(contract, ["createEmbedding"])] == ["createEmbedding"]


def test_verify_shows_progress_and_leaves_no_hypothesis_folder(own_server, tmp_path):
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    done = subprocess.run([sys.executable, "-m", "mockapi", "verify", "--base-url", own_server.base_url, "--only", "models",
                           "--max-examples", "2"], capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    total = len(select(load_contract(), ["models"])) + 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"[1/{total}] ") and lines[-1] == f"[{total}/{total}] stateful sequences"
    assert not (tmp_path / ".hypothesis").exists() and list(tmp_path.iterdir()) == []
    kept = tmp_path / "kept"
    subprocess.run([sys.executable, "-m", "mockapi", "verify", "--base-url", own_server.base_url, "--only", "models",
                    "--max-examples", "1", "--hypothesis-dir", str(kept)], capture_output=True, text=True, timeout=600,
                   cwd=tmp_path, env=env)
    assert not (tmp_path / ".hypothesis").exists()
