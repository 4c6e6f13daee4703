"""Where one in-process chat request spends its time: cProfile's top functions per request.

Runs N non-streaming ``chat.completions.create`` calls through the openai SDK's default client with
the plugin's in-process interception (what a user's test pays), after a warm-up, and prints the top
functions by own time, per request. Usage: ``python bench/profile_chat.py [--calls N] [--top 15]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the benchmark."}]}


def main() -> int:
    """Profile ``--calls`` SDK chat calls in-process and print the top functions per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--only", default="", help="keep functions whose file path contains this (e.g. mockapi/)")
    args = parser.parse_args()
    from mockapi.testing.mocking import Options
    from mockapi.testing.session import inprocess

    with inprocess(Options()) as session:
        client = session.client
        for i in range(100):
            client.chat.completions.create(**{**CHAT, "seed": i})
        started, cpu = time.perf_counter(), time.process_time()
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.calls):
            client.chat.completions.create(**{**CHAT, "seed": i})
        profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats(args.sort)
    print(f"{args.calls} calls, {elapsed / args.calls * 1e6:.0f} us/call under the profiler, "
          f"{cpu / args.calls * 1e6:.0f} us CPU/call")
    print(f"{'own us/req':>10} {'cum us/req':>10} {'calls/req':>9}  function")
    width = max(len(k[0]) for k in stats.stats)  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2 if args.sort == "tottime" else 3])  # type: ignore[attr-defined]
    rows = [row for row in rows if args.only in row[0][0]]
    for (path, line, name), (cc, nc, tt, ct, _callers) in rows[: args.top]:
        short = path.split("site-packages/")[-1].rsplit("/mockapi/", 1)[-1]
        print(f"{tt / args.calls * 1e6:10.1f} {ct / args.calls * 1e6:10.1f} {nc / args.calls:9.1f}  {short}:{line}({name})")
    del width
    return 0


if __name__ == "__main__":
    sys.exit(main())
