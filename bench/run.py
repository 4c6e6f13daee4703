"""Throughput and latency of the mock against a bare Starlette endpoint, in one run.

Both servers run under uvicorn with uvloop and httptools, one worker, in their own process;
wrk (Debian's package) is the load generator in a third process. Scenarios: GET /v1/models,
a non-streaming chat, and a 500-token streaming chat, each at concurrency 1 and 32.
Also measures the engine's own time to produce a 500-token stream (no HTTP).

Usage: python bench/run.py [--duration SECONDS] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-bench-0123456789"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the benchmark."}]}
STREAM = {"model": "gpt-4o-mini", "stream": True,
          "messages": [{"role": "user", "content": "Write 500 tokens about bridges."}]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def start(cmd: list[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_port(port)
    return proc


def wrk(url: str, body: dict | None, connections: int, duration: int) -> dict:
    script = None
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    lua = f'wrk.headers["Authorization"] = "Bearer {KEY}"\n'
    if body is not None:
        lua += 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        lua += f"wrk.body = {json.dumps(json.dumps(body))}\n"
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(lua)
    script.close()
    out = subprocess.run([*args, "-s", script.name], capture_output=True, text=True, timeout=duration + 30).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": round(rps), "p50_ms": round(p50, 3), "p99_ms": round(p99, 3), "non_2xx": int(errors.group(1)) if errors else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def engine_stream_time(repeat: int = 50) -> dict:
    """Server time to produce a 500-token stream, engine only (no HTTP), median of ``repeat``."""
    sys.path.insert(0, str(ROOT))
    from mockapi.core.config import Settings
    from mockapi.assembly import build_engine
    from mockapi.core.engine import Request

    engine = build_engine(Settings(extra={"rate_limits": {"enforce": False}}))
    times, tokens = [], 0
    for i in range(repeat):
        req = Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {KEY}", "content-type": "application/json"},
                      json.dumps({**STREAM, "seed": i}).encode())
        t0 = time.perf_counter()
        reply = engine.handle(req)
        chunks = list(reply.stream)
        times.append((time.perf_counter() - t0) * 1000)
        tokens = len(chunks) - 3
    return {"median_ms": round(statistics.median(times), 3), "p99_ms": round(sorted(times)[int(len(times) * 0.99) - 1], 3),
            "content_chunks": tokens}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    python = sys.executable
    uv = ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log"]
    mock_port, bare_port = free_port(), free_port()
    # Size the bare body like a real chat reply so the comparison is about work, not bytes.
    sys.path.insert(0, str(ROOT))
    from mockapi.assembly import build_engine
    from mockapi.core.engine import Request

    sample = build_engine().handle(Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {KEY}", "content-type": "application/json"},
                                     json.dumps(CHAT).encode()))
    # Rate limits are counted (headers) but not enforced: the load would exceed any tier in seconds.
    config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    config.write("rate_limits: {enforce: false}\n")
    config.close()
    mock = start([python, "-m", "uvicorn", "mockapi.doors.worker:app", "--port", str(mock_port), *uv], mock_port,
                 env={"MOCKAPI_CONFIG": config.name})
    bare = start([python, "-m", "uvicorn", "bench.bare_app:app", "--port", str(bare_port), *uv], bare_port,
                 env={"BARE_BODY_BYTES": str(len(sample.body)), "PYTHONPATH": str(ROOT)})
    results: dict = {"body_bytes": len(sample.body)}
    try:
        for c in (1, 32):
            results[f"bare_c{c}"] = wrk(f"http://127.0.0.1:{bare_port}/v1/chat/completions", CHAT, c, args.duration)
            results[f"models_c{c}"] = wrk(f"http://127.0.0.1:{mock_port}/v1/models", None, c, args.duration)
            results[f"chat_c{c}"] = wrk(f"http://127.0.0.1:{mock_port}/v1/chat/completions", CHAT, c, args.duration)
            results[f"stream500_c{c}"] = wrk(f"http://127.0.0.1:{mock_port}/v1/chat/completions", STREAM, c, args.duration)
        results["engine_stream500"] = engine_stream_time()
    finally:
        for proc in (mock, bare):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
    for c in (1, 32):
        results[f"chat_vs_bare_c{c}"] = round(results[f"chat_c{c}"]["rps"] / results[f"bare_c{c}"]["rps"], 3)
    bad = {k: v["non_2xx"] for k, v in results.items() if isinstance(v, dict) and v.get("non_2xx")}
    if bad:
        print(f"non-2xx responses: {bad}", file=sys.stderr)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
