"""`mockapi serve --record` and `--replay` as a user runs them: a real process on a real port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
import pytest
from recording_helpers import API_KEY, files_text, start_upstream, upstream_requests

from mockapi.doors.live import free_port

HI = [{"role": "user", "content": "Say hi"}]


def serve(*flags: str) -> tuple[subprocess.Popen, str]:
    """Start `mockapi serve` with ``flags``; wait until it answers; the process and its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(port), *flags],
                            env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mockapi serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc, f"http://127.0.0.1:{port}/v1"
        except httpx.TransportError:
            time.sleep(0.05)  # polling for a process to bind its port, not timing behaviour
    proc.terminate()
    raise AssertionError("mockapi serve did not answer")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def test_serve_records_then_replays_strictly(tmp_path: Path) -> None:
    upstream = start_upstream()
    try:
        proc, base_url = serve("--record", str(tmp_path), "--upstream", upstream.base_url)
        try:
            seen = openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0).chat.completions.create(
                model="gpt-4o-mini", messages=HI)
        finally:
            stop(proc)
        assert upstream_requests(upstream) == 1
    finally:
        upstream.stop()
    assert API_KEY not in files_text(tmp_path)
    proc, base_url = serve("--replay", str(tmp_path), "--strict")
    try:
        client = openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0)
        assert client.chat.completions.create(model="gpt-4o-mini", messages=HI) == seen
        with pytest.raises(openai.NotFoundError, match="0001-createChatCompletion.json"):
            client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Other"}])
    finally:
        stop(proc)
