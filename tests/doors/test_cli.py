"""`mockapi serve` and `mockapi routes` as a user runs them (a real process, a real port)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx2
import pytest

from mockapi.doors.live import free_port


def _wait_until_serving(proc: subprocess.Popen, url: str, timeout: float = 20.0) -> httpx2.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mockapi serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            return httpx2.get(url, headers={"authorization": "Bearer sk-cli-test"}, timeout=1)
        except httpx2.TransportError:
            time.sleep(0.05)  # polling for a process to bind its port, not timing behaviour
    raise AssertionError("mockapi serve did not answer")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_serve_listens_on_the_requested_port(how):
    port = free_port()
    args = [sys.executable, "-m", "mockapi", "serve", "--seed", "3"]
    env = {**os.environ}
    if how == "flag":
        args += ["--port", str(port)]
    else:
        env["MOCKAPI_PORT"] = str(port)
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        r = _wait_until_serving(proc, f"http://127.0.0.1:{port}/v1/models")
        assert r.status_code == 200 and r.json()["object"] == "list"
        health = httpx2.get(f"http://127.0.0.1:{port}/health")
        assert health.json() == {"status": "ok"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_bad_config_fails_loudly(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("validation: sloppy\n")
    result = subprocess.run([sys.executable, "-m", "mockapi", "serve", "--config", str(cfg)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "validation" in result.stderr


def test_routes_lists_served_operations():
    result = subprocess.run([sys.executable, "-m", "mockapi", "routes"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "POST   /v1/chat/completions" in result.stdout and "createChatCompletion" in result.stdout
