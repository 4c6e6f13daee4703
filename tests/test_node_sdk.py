"""The Node ``openai`` SDK, the Vercel AI SDK and the Agents SDK for JavaScript (from npm) against the plugin's live mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.compat.venvs import ROOT

SCRIPT = Path(__file__).parent / "node" / "sdk_check.mjs"
REALTIME_SCRIPT = Path(__file__).parent / "node" / "realtime_check.mjs"
NODE_DIR = ROOT / ".venv-node-openai"  # cached between runs; .venv-* is git-ignored and `make clean` drops it


def node_sdk(*extra: str, home: Path = NODE_DIR, sdk: str = "openai") -> Path:
    """A directory (``home``) whose node_modules holds the npm ``openai`` package and the ``extra`` ones (installed once).

    A package that asks for another ``openai`` than the others (@openai/agents wants 7.x) gets a ``home`` of its
    own: installing it beside them would move their ``openai`` too. ``sdk``: the ``openai`` spec to install.
    """
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js (node and npm) is not installed on this machine")
    stamp = home / ".ok"
    missing = [name for name in extra if not (home / "node_modules" / name).is_dir()]
    if not stamp.exists() or missing:
        home.mkdir(exist_ok=True)
        (home / "package.json").write_text('{"name": "mockapi-node-check", "private": true, "type": "module"}\n')
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", sdk, *extra], cwd=home,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"npm install openai {' '.join(extra)} failed: {result.stderr[-2000:]}")
            pytest.skip(f"npm install openai failed (no registry?): {result.stderr[-300:]}")
        stamp.write_text("openai")
    return home


def _copied(workdir: Path, script: Path) -> Path:
    """``script`` beside node_modules, so ``import "openai"`` resolves."""
    target = workdir / script.name
    target.write_text(script.read_text())
    return target


@pytest.mark.slow
def test_node_sdk_chat_streaming_tools_and_retry(mockapi_server) -> None:
    workdir = node_sdk()
    script = _copied(workdir, SCRIPT)
    mockapi_server.queue(status=429, message="please retry me")
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "node openai all ok" in result.stdout
    retried = mockapi_server.calls.to("/chat/completions")[-2:]
    assert [c.status for c in retried] == [429, 200] and retried[-1].retry_count == 1, mockapi_server.calls.describe()
    assert retried[0].headers.get("x-stainless-lang") == "js"


def _node_flags_for_global_websocket() -> list[str]:
    """Node >= 22 has a global WebSocket; Node 20.10+/21 need ``--experimental-websocket``; older: skip."""
    for flags in ([], ["--experimental-websocket"]):
        probe = subprocess.run(["node", *flags, "-p", "typeof WebSocket"], capture_output=True, text=True, timeout=30)
        if probe.stdout.strip() == "function":
            return flags
    pytest.skip("this Node.js has no global WebSocket (Node >= 20.10 has it behind --experimental-websocket)")


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["websocket", "ws"])
def test_node_sdk_realtime_text_and_function_call(mockapi_server, transport: str) -> None:
    # OpenAIRealtimeWebSocket (global WebSocket, key in the subprotocol) and OpenAIRealtimeWS (the `ws`
    # package, key in the Authorization header) drive one session: a text turn, then a tool round trip.
    workdir = node_sdk("ws") if transport == "ws" else node_sdk()
    flags = _node_flags_for_global_websocket() if transport == "websocket" else []
    script = _copied(workdir, REALTIME_SCRIPT)
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", *flags, str(script), transport], cwd=workdir, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    run: dict[str, Any] = json.loads(line[len("RESULT "):])
    scheme = "wss" if transport == "ws" else "ws"  # the `ws` client keeps the SDK's wss:// URL over a plain socket
    assert run["url"] == mockapi_server.base_url.replace("http", scheme, 1) + "/realtime?model=gpt-realtime"
    assert run["errors"] == [] and run["closeCode"] == 1000
    assert run["session"]["created"]["model"] == "gpt-realtime"
    updated = run["session"]["updated"]
    assert updated["output_modalities"] == ["text"] and updated["tools"][0]["name"] == "get_weather"
    assert run["added"] == ["conversation.item.added", "conversation.item.done"]

    text = run["text"]
    assert text["types"][:3] == ["response.created", "rate_limits.updated", "response.output_item.added"]
    assert text["types"][-1] == "response.done" and "response.output_text.done" in text["types"]
    assert text["deltas"] and "".join(text["deltas"]) == text["done"]
    assert text["response"]["status"] == "completed"
    assert text["response"]["output"][0]["content"][0] == {"type": "output_text", "text": text["done"]}
    assert text["response"]["usage"]["output_tokens"] > 0

    call = run["call"]
    assert call["done"]["name"] == "get_weather" and json.loads(call["done"]["arguments"]) == {"city": "Paris"}
    assert "".join(call["deltas"]) == call["done"]["arguments"]
    assert call["types"].index("response.function_call_arguments.delta") < call["types"].index("response.function_call_arguments.done")
    assert call["response"]["status"] == "completed" and call["response"]["output"][0]["type"] == "function_call"
    assert run["output"] == ["conversation.item.added", "conversation.item.done"]
    answer = run["answer"]["response"]
    assert answer["status"] == "completed" and answer["output"][0]["type"] == "message"
    assert "temp_c" in answer["output"][0]["content"][0]["text"]  # the answer is built on the tool's output

    # The session is one journal entry, both ways, and the key is masked wherever this client sent it.
    entry = mockapi_server.engine.traffic.journal.query(path="/v1/realtime")[-1]
    assert entry.status == 101 and mockapi_server.api_key not in json.dumps(entry.to_dict())
    assert any(f.startswith("> ") and '"function_call_output"' in f for f in entry.frames)
    if transport == "ws":
        assert "authorization" in entry.request_headers
    else:
        assert "openai-insecure-api-key." in entry.request_headers["sec-websocket-protocol"]


@pytest.mark.slow
def test_node_sdk_responses_over_a_websocket(mockapi_server) -> None:
    workdir = node_sdk("ws")
    script = _copied(workdir, Path(__file__).parent / "node" / "responses_ws_check.mjs")
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == "completed" and seen["lane"] == "node-lane" and seen["deltas"] > 0 and seen["text"]
    assert seen["error"]["status"] == 404 and seen["error"]["error"]["code"] == "model_not_found"
    assert mockapi_server.calls.to("/responses")[-1].status == 404  # both creates journaled as the POSTs they are


@pytest.mark.slow
def test_the_vercel_ai_sdk(mockapi_server) -> None:
    workdir = node_sdk("ai", "@ai-sdk/openai", "zod")
    script = _copied(workdir, Path(__file__).parent / "node" / "ai_sdk_check.mjs")
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    errors = {name: value for name, value in seen.items() if isinstance(value, dict) and "error" in value}
    assert not errors, errors
    assert seen["responses_text"] and seen["chat_text"] and seen["stream"]
    for name in ("responses_tools", "chat_tools"):  # called, answered, then a final text from the tool's result
        assert seen[name]["calls"] == [["weather", {"city": "Paris"}]] and seen[name]["steps"] == 2
        assert '"temperature":21' in seen[name]["text"].replace(" ", "")
    assert seen["object"] == {"name": "Alice", "age": 30}
    assert seen["reasoning"]["text"] and seen["reasoning"]["summary"] and seen["reasoning"]["reasoningTokens"] > 0
    assert seen["embeddings"] == [1536, 1536]


@pytest.mark.slow
def test_the_openai_agents_sdk_for_javascript(mockapi_server) -> None:
    workdir = node_sdk("@openai/agents", "zod", home=ROOT / ".venv-node-openai-agents")
    script = _copied(workdir, Path(__file__).parent / "node" / "agents_js_check.mjs")
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for api in ("responses", "chat_completions"):  # the tool ran, its result went back, the answer quotes it
        assert seen[api]["items"] == ["tool_call_item", "tool_call_output_item", "message_output_item"], seen
        assert "It is 21C and sunny in Paris." in seen[api]["final"], seen
        assert "It is 21C and sunny in Tokyo." in seen[f"{api}_stream"], seen


@pytest.mark.slow
def test_node_sdk_7_realtime_over_wss(tmp_path) -> None:
    # openai-node 7.x dials Realtime over wss:// only (OpenAIRealtimeWebSocket refuses a ws:// URL), so it meets the
    # mock served over TLS (`mockapi serve --ssl-certfile/--ssl-keyfile`) with the certificate trusted through
    # NODE_EXTRA_CA_CERTS: the same session as above, the URL left as the SDK builds it.
    from tests.doors.test_cli import tls_server

    workdir = node_sdk(home=ROOT / ".venv-node-openai-7", sdk="openai@7")
    flags = _node_flags_for_global_websocket()
    script = _copied(workdir, REALTIME_SCRIPT)
    with tls_server(tmp_path) as (port, cert):
        env = {**os.environ, "OPENAI_BASE_URL": f"https://127.0.0.1:{port}/v1", "OPENAI_API_KEY": "sk-node7-0123456789",
               "NODE_EXTRA_CA_CERTS": cert}
        result = subprocess.run(["node", *flags, str(script), "wss"], cwd=workdir, env=env, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    run = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))[len("RESULT "):])
    assert run["url"] == f"wss://127.0.0.1:{port}/v1/realtime?model=gpt-realtime" and run["errors"] == []
    assert run["text"]["response"]["status"] == "completed" and run["answer"]["response"]["status"] == "completed"
