"""Start-up costs, each in a fresh process: the plugin's first ``mockapi.client`` and ``mockapi serve``'s first answer.

- plugin, with ``openai`` already imported (a test module imports it): the ``mockapi`` fixture's set-up
  (a fresh engine, the interception: outside a Hypothesis example's deadline), the first ``session.client``
  access, the first chat call; wall and CPU time (CPU time says what the mock costs when other
  processes share the cores);
- serve: from launching ``mockapi serve`` to its first answered ``GET /v1/models`` (wall), and the
  server process's CPU time until then.

Usage: python bench/startup.py [--runs N]. The first run of a new contract file writes the contract
cache (see mockapi/core/contract_cache.py); later runs read it, as every test session after the first does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = r"""
import json, time
import openai
wall, cpu = time.perf_counter(), time.process_time()
from mockapi.testing.mocking import Options
from mockapi.testing.session import inprocess
with inprocess(Options()) as session:
    setup = (time.perf_counter() - wall, time.process_time() - cpu)
    client = session.client
    ready = (time.perf_counter() - wall, time.process_time() - cpu)
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    first = (time.perf_counter() - wall, time.process_time() - cpu)
print(json.dumps({"setup_wall_ms": setup[0] * 1e3, "setup_cpu_ms": setup[1] * 1e3,
                  "access_wall_ms": (ready[0] - setup[0]) * 1e3, "access_cpu_ms": (ready[1] - setup[1]) * 1e3,
                  "to_client_cpu_ms": ready[1] * 1e3, "first_call_cpu_ms": (first[1] - ready[1]) * 1e3,
                  "to_first_reply_wall_ms": first[0] * 1e3, "to_first_reply_cpu_ms": first[1] * 1e3}))
"""


def child_env() -> dict[str, str]:
    """The environment of a measured process: the checkout on the path, and bytecode caches on, as after
    ``pip install`` (which compiles them). Without them every start compiles mockapi's ~230 modules again
    (~0.3 s), which only a checkout run with PYTHONDONTWRITEBYTECODE pays; the warm-up run writes them."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def plugin_once() -> dict[str, float]:
    """One fresh process: the fixture's start to the client, and to the first reply."""
    out = subprocess.run([sys.executable, "-c", PLUGIN], capture_output=True, text=True, cwd=ROOT, check=True,
                         env=child_env())
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve_once() -> tuple[float, float]:
    """Seconds from launching ``mockapi serve`` to its first answered request, and the server's CPU seconds."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(port)], cwd=ROOT,
                            env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/models", headers={"authorization": "Bearer sk-startup-0123456789"})
        while time.perf_counter() - started < 60:
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    answer.read()
                    elapsed = time.perf_counter() - started
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    proc.terminate()
                    proc.wait(timeout=10)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("mockapi serve did not answer within 60 s")
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


def main() -> int:
    """Print the medians of ``--runs`` fresh processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()} on {os.cpu_count()} cores")
    plugin_once()  # the contract cache (once per contract file) and the bytecode caches
    runs = [plugin_once() for _ in range(args.runs)]
    for name in runs[0]:
        print(f"plugin {name:<20} median {statistics.median(r[name] for r in runs):7.0f}  all {[round(r[name]) for r in runs]}")
    serves = [serve_once() for _ in range(args.runs)]
    print(f"serve first answer (s wall) median {statistics.median(s[0] for s in serves):7.2f}  all {[round(s[0], 2) for s in serves]}")
    print(f"serve CPU until then (s)    median {statistics.median(s[1] for s in serves):7.2f}  all {[round(s[1], 2) for s in serves]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
