"""Scale benchmark (issue 15): stateful operations stay flat from 100 to 100,000 stored objects.

For files, vector stores and conversation items, the CPU time per operation (``time.process_time``:
what this process spends, whatever else shares the cores) of create, retrieve, the first list page
(``limit=20``) and a list page after a cursor from the middle, measured through the engine
in-process (``mockapi.assembly.build_engine``, ``Engine.handle(Request)``, no sockets) with 100,
1,000, 10,000 and 100,000 objects of that kind stored in the tenant. Each figure is the best of
``--rounds`` batches of ``--ops`` calls. The table gives each size's time and the ratio of the
largest size to the smallest; an operation is flat when that ratio stays under ``1 + --tolerance``.

Filling goes through the store, not the API (creating 100,000 uploads one request at a time takes
minutes): one object is created through the API, then copied under new ids. A conversation holds
at most 10,000 items, so the conversation the operations use holds up to 8,500 (plus the fewer than
1,000 its timed creates add) and the rest of the tenant's items sit in other conversations. Rate limits
are not enforced (the benchmark would otherwise meet a 429). ``--store redis`` measures a Redis store
(a private ``redis-server``; or ``--store redis://host:port/db``) instead of memory; Redis's own CPU is
not in the figures. Usage: ``python bench/bench_scale.py [--store memory|redis] [--sizes 100,1000,10000,100000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from typing import Any, Callable

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request
from mockapi.core.store import MemoryStore, open_store

KEY = "sk-bench-scale-0123456789"
HEADERS = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
SIZES = (100, 1_000, 10_000, 100_000)
PER_CONVERSATION = 8_500  # below the API's 10,000 items per conversation, leaving room for the timed creates
BOUNDARY = "bench-scale-boundary"


def _call(engine: Engine, method: str, path: str, body: Any = None, query: str = "",
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One request through the engine; its JSON answer (a failure stops the benchmark)."""
    raw = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
    reply = engine.handle(Request(method, path, headers or HEADERS, raw, query))
    if reply.status != 200:
        raise RuntimeError(f"{method} {path}?{query} answered {reply.status}: {reply.body[:300]!r}")
    return json.loads(reply.body)


def _upload(n: int) -> tuple[bytes, dict[str, str]]:
    """A multipart ``POST /v1/files`` body (a small JSONL file) and its headers."""
    content = json.dumps({"n": n, "text": "a line of a benchmark file"}).encode() + b"\n"
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench{n}.jsonl\"\r\n"
            "Content-Type: application/jsonl\r\n\r\n").encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, {**HEADERS, "content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def bulk_put(store: Any, tenant: str, kind: str, objects: list[dict[str, Any]]) -> None:
    """Put objects straight into the store (pipelined on Redis)."""
    if hasattr(store, "client"):  # RedisStore: its own create-or-replace script, 5,000 per round trip
        from mockapi.core.jsonutil import dumps

        keys = [*store._keys(tenant, kind), f"{store.prefix}:seq"]
        for start in range(0, len(objects), 5000):
            with store.client.pipeline(transaction=False) as pipe:
                for obj in objects[start:start + 5000]:
                    store._put(keys=keys, args=[obj["id"], dumps(obj)], client=pipe)
                pipe.execute()
    else:
        for obj in objects:
            store.put(tenant, kind, obj["id"], obj)


def _copies(template: dict[str, Any], prefix: str, width: int, start: int, stop: int) -> list[dict[str, Any]]:
    """Copies of a stored object under ids ``prefix`` + a zero-padded number (the id's real length)."""
    return [{**template, "id": f"{prefix}{i:0{width}d}"} for i in range(start, stop)]


class Family:
    """One stateful family: how to fill it to a size, and its four timed operations."""

    name = ""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store
        self.tenant = engine.authenticate(HEADERS)[0]
        self.ids: list[str] = []
        self.pick = random.Random(0)
        self.made = 0

    def grow(self, n: int) -> None:
        """Store objects until the family holds ``n``."""
        raise NotImplementedError

    def operations(self) -> dict[str, Callable[[], object]]:
        """The timed operations, by name."""
        raise NotImplementedError

    def middle(self) -> str:
        """An id from the middle of the listing, as a cursor."""
        return self.ids[len(self.ids) // 2]


class Files(Family):
    """``/v1/files``: upload, retrieve, list."""

    name = "files"

    def grow(self, n: int) -> None:
        if not self.ids:
            body, headers = _upload(0)
            made = _call(self.engine, "POST", "/v1/files", body, headers=headers)
            self.ids.append(made["id"])
            self.template = self.store.get(self.tenant, "file", made["id"])
        more = _copies(self.template, "file-", 22, len(self.ids), n)
        bulk_put(self.store, self.tenant, "file", more)
        self.ids += [o["id"] for o in more]

    def operations(self) -> dict[str, Callable[[], object]]:
        after = self.middle()

        def create() -> object:
            self.made += 1
            body, headers = _upload(self.made)
            return _call(self.engine, "POST", "/v1/files", body, headers=headers)

        return {"create": create,
                "retrieve": lambda: _call(self.engine, "GET", f"/v1/files/{self.pick.choice(self.ids)}"),
                "list page": lambda: _call(self.engine, "GET", "/v1/files", query="limit=20"),
                "list after": lambda: _call(self.engine, "GET", "/v1/files", query=f"limit=20&after={after}")}


class VectorStores(Family):
    """``/v1/vector_stores``: create, retrieve, list."""

    name = "vector stores"

    def grow(self, n: int) -> None:
        if not self.ids:
            made = _call(self.engine, "POST", "/v1/vector_stores", {"name": "bench"})
            self.ids.append(made["id"])
            self.template = self.store.get(self.tenant, "vector_store", made["id"])
        more = _copies(self.template, "vs_", 32, len(self.ids), n)
        bulk_put(self.store, self.tenant, "vector_store", more)
        self.ids += [o["id"] for o in more]

    def operations(self) -> dict[str, Callable[[], object]]:
        after = self.middle()
        return {"create": lambda: _call(self.engine, "POST", "/v1/vector_stores", {"name": "new"}),
                "retrieve": lambda: _call(self.engine, "GET", f"/v1/vector_stores/{self.pick.choice(self.ids)}"),
                "list page": lambda: _call(self.engine, "GET", "/v1/vector_stores", query="limit=20"),
                "list after": lambda: _call(self.engine, "GET", "/v1/vector_stores", query=f"limit=20&after={after}")}


class ConversationItems(Family):
    """``/v1/conversations/{id}/items``: add, retrieve, list, in a conversation of up to about 9,500 items."""

    name = "conversation items"
    ITEM = {"type": "message", "role": "user", "content": "A line of a benchmark conversation."}

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.conversation = _call(engine, "POST", "/v1/conversations", {"items": [self.ITEM]})["id"]
        self.kind = f"conversation.item:{self.conversation}"
        self.ids = [self.store.list(self.tenant, self.kind)[0]["id"]]
        self.template = self.store.get(self.tenant, self.kind, self.ids[0])
        self.elsewhere = 0  # items held by the other conversations

    def grow(self, n: int) -> None:
        held = self.store.count(self.tenant, self.kind)  # the filled items and those the timed creates added
        more = _copies(self.template, "msg_", 50, len(self.ids), len(self.ids) + max(0, min(n, PER_CONVERSATION) - held))
        bulk_put(self.store, self.tenant, self.kind, more)
        self.ids += [o["id"] for o in more]
        here = held + len(more)
        while here + self.elsewhere < n:  # the rest of the tenant's items, in other conversations
            other = _call(self.engine, "POST", "/v1/conversations", {})["id"]
            count = min(PER_CONVERSATION, n - here - self.elsewhere)
            bulk_put(self.store, self.tenant, f"conversation.item:{other}",
                     _copies(self.template, f"msg_{other[-8:]}", 42, 0, count))
            self.elsewhere += count

    def operations(self) -> dict[str, Callable[[], object]]:
        after, base = self.middle(), f"/v1/conversations/{self.conversation}/items"
        return {"create": lambda: _call(self.engine, "POST", base, {"items": [self.ITEM]}),
                "retrieve": lambda: _call(self.engine, "GET", f"{base}/{self.pick.choice(self.ids)}"),
                "list page": lambda: _call(self.engine, "GET", base, query="limit=20"),
                "list after": lambda: _call(self.engine, "GET", base, query=f"limit=20&after={after}")}


FAMILIES = (Files, VectorStores, ConversationItems)


def _cpu_per_op(operation: Callable[[], object], ops: int, rounds: int) -> float:
    """The best of ``rounds`` batches: CPU microseconds per call."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(ops):
            operation()
        best = min(best, (time.process_time() - started) / ops)
    return best * 1e6


def measure(store: Any, sizes: tuple[int, ...], ops: int, rounds: int,
            families: tuple[type[Family], ...] = FAMILIES) -> dict[str, dict[str, dict[int, float]]]:
    """{family: {operation: {size: CPU us per call}}}, each family grown from the smallest size to the largest."""
    settings = Settings(extra={"rate_limits": {"enforce": False}})
    engine = build_engine(settings, store=store, clock=Clock(frozen_at=1_750_000_000.0))
    figures: dict[str, dict[str, dict[int, float]]] = {}
    for family_type in families:
        family = family_type(engine)
        for size in sizes:
            family.grow(size)
            for op_name, operation in family.operations().items():
                operation()  # warm: validators compiled, caches filled
                figures.setdefault(family.name, {}).setdefault(op_name, {})[size] = _cpu_per_op(operation, ops, rounds)
            print(f"  {family.name}: {size} done", file=sys.stderr)
        engine.reset()
    return figures


def report(figures: dict[str, dict[str, dict[int, float]]], sizes: tuple[int, ...], tolerance: float) -> bool:
    """Print the table; True when every operation stays within the tolerance."""
    ok = True
    print(f"{'family':19} {'operation':11}" + "".join(f"{'N=' + format(s, ','):>12}" for s in sizes) + f"{'ratio':>8}  (CPU us/op)")
    for family, operations in figures.items():
        for op_name, by_size in operations.items():
            ratio = by_size[sizes[-1]] / by_size[sizes[0]]
            flat = ratio <= 1 + tolerance
            ok &= flat
            print(f"{family:19} {op_name:11}" + "".join(f"{by_size[s]:12.0f}" for s in sizes)
                  + f"{ratio:8.2f}  {'' if flat else 'NOT FLAT'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when an operation is not flat."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="memory", help="memory, redis (a private server) or a redis:// URL")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="stored objects, comma-separated")
    parser.add_argument("--ops", type=int, default=100, help="calls per timed batch")
    parser.add_argument("--rounds", type=int, default=7, help="batches per figure (the best is kept)")
    parser.add_argument("--tolerance", type=float, default=0.3, help="largest/smallest ratio allowed above 1")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    proc, url = (None, args.store)
    if args.store == "redis":
        from bench_store import _start_redis  # a private redis-server on a free port

        proc, url = _start_redis()
        if url is None:
            print("redis-server not found", file=sys.stderr)
            return 2
    store = MemoryStore() if url == "memory" else open_store(url)
    store.reset()
    try:
        ok = report(measure(store, sizes, args.ops, args.rounds), sizes, args.tolerance)
    finally:
        store.reset()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"flat within {args.tolerance:.0%}: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
