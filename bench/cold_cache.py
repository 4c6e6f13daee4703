"""What a request costs when the caches are cold: ``Engine.handle`` CPU time with and without evicting them between requests.

In a server, uvicorn, the kernel and the load generator run between two requests and evict the caches the engine
warmed. A loop of requests in one process keeps them warm, and so measures the engine at its best: the fifteenth
pass found a Responses call took ~96 us that way and ~142 us inside the server (bench/PROFILE.md). Writing an 8 MB
buffer between requests (more than this machine's L2, less than its L3) brings the loop's figure to the server's.
Usage: ``python bench/cold_cache.py [--tree DIR] [--kind chat|responses] [--requests N] [--evict-mb 8]``; ``--tree``:
a checkout or compiled copy to import mockapi from (default: this one). Prints the median per-request CPU time of
several batches, warm and cold, run in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import RESPONSES_TOOL, VARIED_CHAT  # noqa: E402

PATHS = {"chat": ("/v1/chat/completions", VARIED_CHAT), "responses": ("/v1/responses", RESPONSES_TOOL)}

# Run in a child with the tree first on its path, so a compiled copy is what gets imported.
_CHILD = """
import json, statistics, sys, time
from mockapi.assembly import build_engine
from mockapi.core.config import Settings
from mockapi.core.engine import Request
path, body, requests, evict_mb = json.loads(sys.argv[1])
engine = build_engine(Settings(extra={"rate_limits": {"enforce": False}}))
headers = {"authorization": "Bearer sk-bench-0123456789", "content-type": "application/json"}
text = json.dumps(body)
buffer, step = bytearray(evict_mb * 1024 * 1024), 64
blank = bytes(len(buffer[::step]))
def batch(n0, evict):
    spent = 0.0
    for n in range(n0, n0 + requests):
        if evict:
            buffer[::step] = blank  # one write per cache line
        request = Request("POST", path, dict(headers), text.replace("{n}", str(n)).encode())
        started = time.thread_time()
        engine.handle(request)
        spent += time.thread_time() - started
    return spent / requests * 1e6
batch(10**6, False)  # warm-up: validators built, caches filled
warm, cold = [], []
for k in range(7):
    warm.append(batch(k * 2 * requests, False))
    cold.append(batch((k * 2 + 1) * requests, True))
print(json.dumps({"warm": statistics.median(warm), "cold": statistics.median(cold)}))
"""


def main() -> int:
    """Measure warm and cold per-request engine CPU for one scenario and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--kind", choices=sorted(PATHS), default="responses")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--evict-mb", type=int, default=8)
    args = parser.parse_args()
    path, body = PATHS[args.kind]
    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve())}
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps([path, body, args.requests, args.evict_mb])],
                          cwd=args.tree, env=env, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return 1
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{args.kind}: {figures['warm']:.0f} us per request warm, {figures['cold']:.0f} us with {args.evict_mb} MB "
          f"written between requests ({figures['cold'] / figures['warm']:.2f}x)  [{args.tree}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
