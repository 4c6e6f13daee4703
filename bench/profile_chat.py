"""Where one in-process chat request spends its time: cProfile's top functions per request.

Runs N non-streaming chat completions in-process (the plugin's interception answering) after a
warm-up, and prints the top functions by own time, per request. Two clients: ``--client sdk`` (the
openai SDK's default client: what a user's test pays, the SDK's own work included) and ``--client
httpx2`` (a plain ``httpx2.Client`` posting the same bytes as ``bench/perf_guard.py``: the mock's cost
with little else). The engine is reset every 200 calls, as the guard resets it between batches.
Usage: ``python bench/profile_chat.py [--client sdk|httpx2] [--calls N] [--top 15] [--only mockapi/]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from typing import Any, Callable

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the benchmark."}]}
URL = "https://api.openai.com/v1/chat/completions"
HEADERS = {"authorization": "Bearer sk-profile-0123456789", "content-type": "application/json"}


def _caller(session: Any, client: str) -> Callable[[int], object]:
    """One chat call (given its index) through the chosen client."""
    if client == "sdk":
        sdk = session.client
        return lambda i: sdk.chat.completions.create(**{**CHAT, "seed": i})
    import httpx2

    plain = httpx2.Client(headers=HEADERS)
    raw = json.dumps(CHAT).encode()
    return lambda i: plain.post(URL, content=raw).read()


def main() -> int:
    """Profile ``--calls`` chat calls in-process and print the top functions per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=("sdk", "httpx2"), default="sdk")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--only", default="", help="keep functions whose file path contains this (e.g. mockapi/)")
    args = parser.parse_args()
    from mockapi.testing.mocking import Options
    from mockapi.testing.session import inprocess

    with inprocess(Options()) as session:
        call = _caller(session, args.client)
        for i in range(100):
            call(i)
        session.engine.reset()
        started, cpu = time.perf_counter(), time.process_time()
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.calls):
            call(i)
            if i % 200 == 199:
                session.engine.reset()
        profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    print(f"{args.calls} calls ({args.client}), {elapsed / args.calls * 1e6:.0f} us/call under the profiler, "
          f"{cpu / args.calls * 1e6:.0f} us CPU/call")
    print(f"{'own us/req':>10} {'cum us/req':>10} {'calls/req':>9}  function")
    column = 2 if args.sort == "tottime" else 3
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][column])  # type: ignore[attr-defined]
    rows = [row for row in rows if args.only in row[0][0]]
    for (path, line, name), (_cc, nc, tt, ct, _callers) in rows[: args.top]:
        short = path.split("site-packages/")[-1].rsplit("/mockapi/", 1)[-1]
        print(f"{tt / args.calls * 1e6:10.1f} {ct / args.calls * 1e6:10.1f} {nc / args.calls:9.1f}  {short}:{line}({name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
