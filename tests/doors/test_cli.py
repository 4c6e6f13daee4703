"""`mockapi serve` and `mockapi routes` as a user runs them (a real process, a real port)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import openai
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


def self_signed(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and localhost and its key (PEM files), made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = str(directory / "cert.pem"), str(directory / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@contextlib.contextmanager
def tls_server(directory) -> Iterator[tuple[int, str]]:
    """``mockapi serve`` over TLS with a fresh self-signed certificate: (its port, the certificate to trust)."""
    cert, key = self_signed(directory)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(port), "--ssl-certfile", cert,
                             "--ssl-keyfile", key], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"mockapi serve exited with {proc.returncode}: {proc.stderr.read()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "mockapi serve did not listen"
                time.sleep(0.05)  # polling for a process to bind its port, not timing behaviour
        yield port, cert
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_serve_over_tls(tmp_path):
    with tls_server(tmp_path) as (port, cert):
        client = openai.OpenAI(base_url=f"https://127.0.0.1:{port}/v1", api_key="sk-cli-test", max_retries=0,
                               http_client=httpx2.Client(verify=ssl.create_default_context(cafile=cert)))
        reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi over TLS"}])
        assert reply.choices[0].message.content
        with pytest.raises(openai.APIConnectionError):  # and it is TLS: a client that does not trust the certificate fails
            openai.OpenAI(base_url=f"https://127.0.0.1:{port}/v1", api_key="sk-cli-test", max_retries=0).models.list()


def test_tls_needs_both_files(tmp_path):
    cert, _ = self_signed(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mockapi", "serve", "--ssl-certfile", cert], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--ssl-certfile and --ssl-keyfile go together" in result.stderr
