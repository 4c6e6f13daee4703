"""`mockapi serve --workers N --store redis://...`: throughput, and what each request costs each process.

On a machine with fewer cores than workers + Redis + the load generator, throughput cannot show how
workers scale: they only take turns on the same cores. So besides requests per second this measures
what scaling depends on, per request, from /proc: the CPU time of the worker processes (C_w) and of
redis-server (C_r). With the load generator on cores of its own, N workers on N cores and Redis on one
more give at most ``min(N / C_w, 1 / C_r)`` requests per second: the model printed at the end, and
the ratio it predicts for 2 workers over 1 (the issue's target: at least 1.6x).

Usage: python bench/bench_workers.py [--duration SECONDS] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import VARIED_CHAT, free_port, start  # noqa: E402
from bench.server_cpu import cpu_seconds, wrk_requests  # noqa: E402


def start_redis() -> tuple[subprocess.Popen, int]:
    """A private redis-server (no persistence) on a free port."""
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def measure(workers: int, redis_port: int, redis_pid: int, seconds: int) -> dict[str, float]:
    """Requests/s, p99, and CPU microseconds per request of the workers and of redis-server."""
    config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    config.write("rate_limits: {enforce: false}\n")
    config.close()
    port = free_port()
    cmd = [sys.executable, "-m", "mockapi", "serve", "--config", config.name, "--log-level", "warning", "--port", str(port),
           "--workers", str(workers), "--store", f"redis://127.0.0.1:{redis_port}/0"]
    proc = start(cmd, port, {"PYTHONPATH": str(ROOT)})
    try:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        wrk_requests(url, VARIED_CHAT, 2)  # warm-up: every worker imports and builds its engine
        before_w, before_r = cpu_seconds(proc.pid, tree=True), cpu_seconds(redis_pid)
        n, bad, p99 = wrk_requests(url, VARIED_CHAT, seconds)
        worker_cpu, redis_cpu = cpu_seconds(proc.pid, tree=True) - before_w, cpu_seconds(redis_pid) - before_r
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        os.unlink(config.name)
    return {"rps": n / seconds, "p99": p99, "non_2xx": bad, "worker_us": worker_cpu / n * 1e6, "redis_us": redis_cpu / n * 1e6}


def main() -> int:
    """Measure each worker count, then print the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            print(f"{tool} is not installed (bash scripts/ensure-system-deps.sh)", file=sys.stderr)
            return 2
    redis, redis_port = start_redis()
    try:
        results = {n: measure(n, redis_port, redis.pid, args.duration) for n in args.workers}
    finally:
        os.killpg(redis.pid, signal.SIGTERM)
        redis.wait(timeout=10)
    print(f"{os.cpu_count()} cores, load average {[round(x, 2) for x in os.getloadavg()]}; chat with varied bodies, wrk c=32, Redis store")
    print(f"{'workers':>7} {'req/s':>8} {'p99':>9} {'worker CPU us/req':>18} {'redis CPU us/req':>17}")
    for n, r in results.items():
        print(f"{n:>7} {r['rps']:>8.0f} {r['p99']:>9} {r['worker_us']:>18.0f} {r['redis_us']:>17.0f}")
    one = results[min(results)]
    c_w, c_r = one["worker_us"] / 1e6, one["redis_us"] / 1e6
    print(f"model, load generator on its own cores: N workers on N cores give min(N / C_w, 1 / C_r) req/s "
          f"(C_w = {c_w * 1e6:.0f} us, C_r = {c_r * 1e6:.0f} us)")
    for n in (1, 2, 4):
        print(f"  {n} worker(s): {min(n / c_w, 1 / c_r):8.0f} req/s  ({min(n / c_w, 1 / c_r) / (1 / c_w):.2f}x one worker)")
    if len(results) > 1 and (os.cpu_count() or 1) < max(results) + 2:
        print(f"this machine has {os.cpu_count()} cores for {max(results)} workers, redis-server and wrk: the measured "
              "req/s show the cores being shared, not how workers scale")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
