"""Batch benchmark (issue 15): a batch of 10,000 chat lines completes in under 10 s.

Through the engine in-process (``mockapi.assembly.build_engine``, ``Engine.handle(Request)``, no
sockets), as a client would drive it: upload a JSONL file of ``--lines`` chat completion requests
(a different question on each line) to ``POST /v1/files`` with ``purpose=batch``; create a batch on
``/v1/chat/completions`` whose steps each wait a minute of mock time (``x-mockapi-progress:
seconds:60``); advance the mock clock through the control plane (``POST /_mockapi/clock
{"advance": 60}``) and retrieve the batch until it is ``completed``; download the output file and
check it holds one answer per line. Prints the wall and CPU time of each stage and of the whole;
exit 1 when the whole takes ``--target`` seconds or more. Usage: ``python bench/bench_batch.py [--lines 10000]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request

KEY = "sk-bench-batch-0123456789"
HEADERS = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
BOUNDARY = "bench-batch-boundary"
TOPICS = ("tides", "bread", "volcanoes", "jazz", "orbits", "bees", "glaciers", "chess", "ink", "rivers")


def batch_file(lines: int) -> bytes:
    """A JSONL batch input: one chat completion request per line, each asking something different."""
    rows = []
    for n in range(lines):
        question = f"Question {n}: tell me one thing about {TOPICS[n % len(TOPICS)]} and the number {n * 7919 % 10007}."
        rows.append(json.dumps({"custom_id": f"line-{n}", "method": "POST", "url": "/v1/chat/completions",
                                "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": question}]}}))
    return ("\n".join(rows) + "\n").encode()


def _send(engine: Engine, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """One request; the reply (its body joined when streamed). A failure stops the benchmark."""
    raw = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
    reply = engine.handle(Request(method, path, headers or HEADERS, raw))
    data = reply.body if reply.stream is None else b"".join(c for c in reply.stream if isinstance(c, bytes))
    if reply.status != 200:
        raise RuntimeError(f"{method} {path} answered {reply.status}: {data[:300]!r}")
    return data


def run(lines: int) -> dict[str, tuple[float, float]]:
    """Upload, create, advance until completed, download; (wall s, CPU s) per stage and in all."""
    engine = build_engine(Settings(), clock=Clock(frozen_at=1_750_000_000.0))
    content = batch_file(lines)
    upload = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--{BOUNDARY}\r\n"
              "Content-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n"
              ).encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    stages: dict[str, tuple[float, float]] = {}
    started = mark = (time.perf_counter(), time.process_time())

    def lap(name: str) -> None:
        nonlocal mark
        now = (time.perf_counter(), time.process_time())
        stages[name] = (now[0] - mark[0], now[1] - mark[1])
        mark = now

    uploaded = json.loads(_send(engine, "POST", "/v1/files", upload,
                                {**HEADERS, "content-type": f"multipart/form-data; boundary={BOUNDARY}"}))
    lap("upload")
    batch = json.loads(_send(engine, "POST", "/v1/batches", {"input_file_id": uploaded["id"], "endpoint": "/v1/chat/completions",
                                                               "completion_window": "24h"},
                             {**HEADERS, "x-mockapi-progress": "seconds:60"}))
    lap("create")
    polls = 0
    while batch["status"] not in ("completed", "failed", "expired", "cancelled"):
        _send(engine, "POST", "/_mockapi/clock", {"advance": 60})
        batch = json.loads(_send(engine, "GET", f"/v1/batches/{batch['id']}"))
        polls += 1
        if polls > 20:
            raise RuntimeError(f"the batch is still {batch['status']} after {polls} minutes of mock time")
    if batch["status"] != "completed":
        raise RuntimeError(f"the batch ended {batch['status']}: {batch.get('errors')}")
    lap(f"advance and poll ({polls} polls)")
    output = _send(engine, "GET", f"/v1/files/{batch['output_file_id']}/content").decode().splitlines()
    lap("download")
    answered = {json.loads(row)["custom_id"] for row in output}
    if len(output) != lines or len(answered) != lines or batch["request_counts"]["completed"] != lines:
        raise RuntimeError(f"{len(output)} output lines for {lines} requests: {batch['request_counts']}")
    end = (time.perf_counter(), time.process_time())
    stages["total"] = (end[0] - started[0], end[1] - started[1])
    return stages


def main(argv: list[str] | None = None) -> int:
    """Run the batch once and print its stages; exit 1 past the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--target", type=float, default=10.0, help="seconds (wall) the whole may take")
    args = parser.parse_args(argv)
    stages = run(args.lines)
    print(f"batch of {args.lines:,} chat lines, in-process:")
    for name, (wall, cpu) in stages.items():
        print(f"  {name:28} {wall:7.2f} s wall {cpu:7.2f} s CPU")
    wall = stages["total"][0]
    ok = wall < args.target
    print(f"{args.lines / wall:,.0f} lines/s; target under {args.target:g} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
