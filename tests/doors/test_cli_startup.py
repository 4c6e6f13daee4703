"""`mockapi serve` start-up and shutdown as an operator sees them: one clear line per failure, a banner
only once the port is taken, a prompt and clean exit on SIGTERM/SIGINT; `--version`; `fixtures check`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from mockapi.doors.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for name in [k for k in env if k.startswith("MOCKAPI_")]:
        env.pop(name)
    env.update(extra)
    return env


def _run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockapi", *args], capture_output=True, text=True, timeout=60,
                          env=env or _env(), cwd=cwd)


def _one_line_failure(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("mockapi: ")
    return lines[0]


@pytest.mark.parametrize("config, expected", [
    ("validaton: schema\n", "unknown config key 'validaton' (did you mean 'validation'?)"),
    ("seed: abc\n", "seed must be an integer, not 'abc'"),
    ("validation: sloppy\n", "validation must be one of"),
    ("store: redis://localhost:notaport/0\n", "is not a valid URL"),
    ("store: postgres://localhost/db\n", "store must be 'memory' or a redis:// URL"),
    ("keys: {sk-a: {org: x}}\n", "unexpected keyword argument 'org' (known fields: organization, project, tier"),
    ("workers: 0\n", "workers must be at least 1"),
    ("seed: [1\n", "bad.yaml"),  # not YAML at all
])
def test_a_bad_config_is_one_line_and_exit_2(tmp_path, config, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(config)
    line = _one_line_failure(_run("serve", "--config", str(path), "--port", str(free_port())))
    assert expected in line and str(path) in line


def test_a_bad_environment_value_is_one_line():
    line = _one_line_failure(_run("serve", env=_env(MOCKAPI_SEED="abc")))
    assert "MOCKAPI_SEED" in line


def test_a_bad_fixture_file_is_one_line(tmp_path):
    (tmp_path / "replies.yaml").write_text("- match: {tools: get_weather}\n  reply: {content: hi}\n")
    line = _one_line_failure(_run("serve", "--fixtures", str(tmp_path), "--port", str(free_port())))
    assert "replies.yaml" in line and "match.tools must be a list" in line


def test_a_port_in_use_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _one_line_failure(_run("serve", "--port", str(port)))
    assert f"cannot listen on 127.0.0.1:{port}" in line


def test_redis_store_without_the_extra_is_one_line(tmp_path):
    # The redis client missing, as on an install without `mockapi[redis]`.
    (tmp_path / "redis.py").write_text('raise ModuleNotFoundError("No module named \'redis\'", name="redis")\n')
    env = _env()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    line = _one_line_failure(_run("serve", "--store", "redis://127.0.0.1:6379/0", "--port", str(free_port()), env=env))
    assert "pip install 'mockapi[redis]'" in line


def test_version():
    from mockapi import __version__

    result = _run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"mockapi {__version__}"


def test_fixtures_check_reports_each_file(tmp_path):
    (tmp_path / "good.yaml").write_text("- match: {model: gpt-4o}\n  reply: {content: Paris.}\n")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "bad.json").write_text('[{"match": {"colour": "red"}, "reply": {"content": "x"}}]')
    result = _run("fixtures", "check", str(tmp_path))
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("ok") and "good.yaml (1 rule)" in line for line in lines)
    assert any(line.startswith("error") and "bad.json" in line and "unknown match keys ['colour']" in line for line in lines)
    (tmp_path / "nested" / "bad.json").unlink()
    assert _run("fixtures", "check", str(tmp_path)).returncode == 0


def test_fixtures_check_refuses_an_empty_or_missing_directory(tmp_path):
    assert _run("fixtures", "check", str(tmp_path)).returncode == 2
    assert _run("fixtures", "check", str(tmp_path / "missing")).returncode == 2


def _start(port: int, tmp: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(TMPDIR=str(tmp)))


def _banner(proc: subprocess.Popen) -> str:
    line = proc.stderr.readline()  # blocks until the server prints; the process exiting ends it too
    assert line.startswith("mockapi serving http://127.0.0.1:"), line + (proc.stderr.read() if proc.poll() is not None else "")
    return line


def test_the_banner_means_the_port_answers(tmp_path):
    port = free_port()
    proc = _start(port, tmp_path)
    try:
        line = _banner(proc)
        assert f":{port}/v1" in line
        # No polling: once the banner is out, the socket is listening.
        assert httpx2.get(f"http://127.0.0.1:{port}/health", timeout=5).json() == {"status": "ok"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until_journaled(base: str, path: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # polling the server's own record of the request, not timing it
        entries = httpx2.get(f"{base}/_mockapi/journal", params={"path": path}, timeout=5).json()["data"]
        if entries:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never reached the journal")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_a_stalled_stream_and_removes_temp_files(tmp_path, sig):
    import threading

    port = free_port()
    proc = _start(port, tmp_path)
    outcome: list[BaseException | int] = []
    try:
        _banner(proc)
        root, headers = f"http://127.0.0.1:{port}", {"authorization": "Bearer sk-cli-test"}
        uploaded = httpx2.post(f"{root}/v1/files", headers=headers, data={"purpose": "assistants"},
                               files={"file": ("notes.jsonl", b'{"a": 1}\n')}, timeout=10)
        assert uploaded.status_code == 200
        assert list(tmp_path.iterdir()), "the upload's bytes live in a temp dir under TMPDIR"

        def stalled() -> None:
            try:
                reply = httpx2.post(f"{root}/v1/chat/completions", headers={**headers, "x-mockapi-fault": "stall"},
                                    json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stream": True},
                                    timeout=60)
                outcome.append(reply.status_code)
            except httpx2.TransportError as exc:
                outcome.append(exc)

        client = threading.Thread(target=stalled)
        client.start()
        _wait_until_journaled(root, "/v1/chat/completions")
        signalled = time.monotonic()
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 0
        assert time.monotonic() - signalled < 6, "shutdown waits at most the grace period for open streams"
        client.join(timeout=10)
        assert outcome and isinstance(outcome[0], httpx2.TransportError), outcome  # dropped, not a 500
        assert list(tmp_path.iterdir()) == [], "uploaded bytes are removed at shutdown"
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_a_client_giving_up_on_a_stall_logs_nothing_under_uvloop(tmp_path):
    pytest.importorskip("uvloop")  # `mockapi serve` runs on uvloop when installed
    port = free_port()
    proc = _start(port, tmp_path)
    try:
        _banner(proc)
        root = f"http://127.0.0.1:{port}"
        for _ in range(3):
            with pytest.raises(httpx2.TimeoutException):
                httpx2.post(f"{root}/v1/chat/completions", headers={"authorization": "Bearer sk-cli-test", "x-mockapi-fault": "stall"},
                            json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, timeout=0.5)
        assert httpx2.get(f"{root}/health", timeout=5).status_code == 200  # the loop has handled the disconnects
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        log = proc.stderr.read()
        assert "negative file descriptor" not in log and "Traceback" not in log, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
