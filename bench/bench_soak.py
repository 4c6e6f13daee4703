"""RSS soak (issue 14): 100,000 mixed requests through one engine in-process; memory must stay flat.

Run ``python bench/bench_soak.py [--requests 100000] [--every 10000]``. It prints the process's resident set size
every ``--every`` requests and checks that after warm-up (the first two samples) it stays within 20% of the first
sample after warm-up. The mix is what a test suite sends for hours: chat (plain and streamed with logprobs, many
distinct prompts, so occurrence counters and the journal churn), Responses without storing, embeddings, model
listing, unknown models (404: counter keys must not grow), deep JSON (400) and bodies that break the contract.
Stored objects are state and grow by design, so the mix stores none. The Responses family remembers the ids of
``store: false`` responses (``response.unstored``, to explain a later reference), but only the latest
``limits.max_unstored_responses`` (10,000) per tenant; ``--no-responses`` swaps those requests for chat ones to
measure everything else alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Request
from mockapi.core.store import MemoryStore

KEY = "sk-bench-soak-0123456789"
HEADERS = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
TOLERANCE = 0.20
WARM_UP_SAMPLES = 2


def rss_bytes() -> int:
    """This process's resident set size (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def request_for(i: int, responses: bool = True) -> Request:
    """The i-th request of the mix."""
    kind = i % 10
    if kind == 4 and not responses:
        kind = 0
    if kind in (0, 1, 2):
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Tell me about item {i}."}]}
        return Request("POST", "/v1/chat/completions", HEADERS, json.dumps(body).encode())
    if kind == 3:
        body = {"model": "gpt-4o-mini", "stream": True, "logprobs": True, "top_logprobs": 5, "max_tokens": 60,
                "messages": [{"role": "user", "content": f"Stream a few words about {i}."}]}
        return Request("POST", "/v1/chat/completions", HEADERS, json.dumps(body).encode())
    if kind == 4:
        body = {"model": "gpt-4o-mini", "store": False, "input": f"Summarise case {i}."}
        return Request("POST", "/v1/responses", HEADERS, json.dumps(body).encode())
    if kind == 5:
        body = {"model": "text-embedding-3-small", "input": [f"document {i}", "a second line"]}
        return Request("POST", "/v1/embeddings", HEADERS, json.dumps(body).encode())
    if kind == 6:
        return Request("GET", "/v1/models", HEADERS)
    if kind == 7:
        body = {"model": f"no-such-model-{i}-" + "z" * 2000, "messages": [{"role": "user", "content": "hi"}]}
        return Request("POST", "/v1/chat/completions", HEADERS, json.dumps(body).encode())
    if kind == 8:
        deep = "[" * 500 + "]" * 500
        return Request("POST", "/v1/chat/completions", HEADERS,
                       ('{"model":"gpt-4o-mini","messages":[],"metadata":{"a":%s}}' % deep).encode())
    body = {"model": "gpt-4o-mini", "messages": [{"role": "wizard", "content": f"{i}"}], "temperature": 9}
    return Request("POST", "/v1/chat/completions", HEADERS, json.dumps(body).encode())


def main(argv: list[str] | None = None) -> int:
    """Run the soak; exit 1 when RSS grew more than the tolerance after warm-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--no-responses", action="store_true", help="no Responses calls (their unstored ids are bounded state)")
    parser.add_argument("--max-counters", type=int, default=None, help="the memory store's counter cap (default its own)")
    args = parser.parse_args(argv)
    store = MemoryStore(max_counters=args.max_counters)
    engine = build_engine(Settings(), store=store, clock=Clock(frozen_at=1_750_000_000.0))
    samples: list[tuple[int, int]] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for i in range(1, args.requests + 1):
        engine.clock.advance(0.05)  # 1,200 requests a simulated minute: rate-limit windows roll over as in real use
        reply = engine.handle(request_for(i, responses=not args.no_responses))
        if reply.stream is not None:
            for _ in reply.stream:
                pass
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        if i % args.every == 0:
            gc.collect()
            samples.append((i, rss_bytes()))
            print(f"{i:>8} requests  RSS {samples[-1][1] / 2**20:7.1f} MiB  journal {engine.traffic.journal.bytes / 2**20:5.1f} MiB "
                  f"({len(engine.traffic.journal)} entries)  counters {len(store._counters)}  "
                  f"objects {sum(len(bucket.objects) for bucket in store._objects.values())}  "
                  f"{time.perf_counter() - started:6.1f}s", flush=True)
    print(f"statuses: {dict(sorted(statuses.items()))}")
    if len(samples) <= WARM_UP_SAMPLES:
        print("too few samples to judge")
        return 0
    base = samples[WARM_UP_SAMPLES][1]
    worst = max(rss for _, rss in samples[WARM_UP_SAMPLES:])
    growth = worst / base - 1
    print(f"after warm-up: {base / 2**20:.1f} MiB -> at most {worst / 2**20:.1f} MiB ({growth:+.1%}; tolerance {TOLERANCE:.0%})")
    assert 429 not in statuses and not any(s >= 500 for s in statuses), statuses
    return 0 if growth <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
