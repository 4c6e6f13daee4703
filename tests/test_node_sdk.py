"""The Node ``openai`` SDK (from npm) against the plugin's live mode: chat, streaming tools, a 429 retry."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.compat.venvs import ROOT

SCRIPT = Path(__file__).parent / "node" / "sdk_check.mjs"
NODE_DIR = ROOT / ".venv-node-openai"  # cached between runs; .venv-* is git-ignored and `make clean` drops it


def node_sdk() -> Path:
    """A directory whose node_modules holds the npm ``openai`` package (installed once)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js (node and npm) is not installed on this machine")
    stamp = NODE_DIR / ".ok"
    if not stamp.exists():
        NODE_DIR.mkdir(exist_ok=True)
        (NODE_DIR / "package.json").write_text('{"name": "mockapi-node-check", "private": true, "type": "module"}\n')
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "openai"], cwd=NODE_DIR,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"npm install openai failed: {result.stderr[-2000:]}")
            pytest.skip(f"npm install openai failed (no registry?): {result.stderr[-300:]}")
        stamp.write_text("openai")
    return NODE_DIR


@pytest.mark.slow
def test_node_sdk_chat_streaming_tools_and_retry(mockapi_server) -> None:
    workdir = node_sdk()
    script = workdir / SCRIPT.name  # beside node_modules, so `import "openai"` resolves
    script.write_text(SCRIPT.read_text())
    mockapi_server.queue(status=429, message="please retry me")
    env = {**os.environ, "OPENAI_BASE_URL": mockapi_server.base_url, "OPENAI_API_KEY": mockapi_server.api_key}
    result = subprocess.run(["node", str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "node openai all ok" in result.stdout
    retried = mockapi_server.calls.to("/chat/completions")[-2:]
    assert [c.status for c in retried] == [429, 200] and retried[-1].retry_count == 1, mockapi_server.calls.describe()
    assert retried[0].headers.get("x-stainless-lang") == "js"
