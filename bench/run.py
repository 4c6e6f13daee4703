"""Throughput and latency of the mock against a bare Starlette endpoint, side by side in one run.

Every server runs under uvicorn, one worker, in its own process; wrk (Debian's package, installed by
scripts/ensure-system-deps.sh) is the load generator in another. Scenarios, at concurrency 32 unless
said: non-streaming chat with a different question on every request (a wrk Lua script numbers
them, so no cache of one body helps), Responses with one function tool, a 500-token streaming chat,
GET /v1/models. Servers: the bare endpoint (uvicorn with uvloop and httptools), the mock as users run
it (``mockapi serve`` from a wheel: uvloop, httptools, orjson, jsonschema-rs, the hot path compiled by mypyc; built
here in a temporary copy), the mock from this checkout's source (``mock_source``; ``--source``: only that), the mock as a platform without wheels
runs it (``bench/fallback`` hides orjson, jsonschema-rs, uvloop and httptools: asyncio loop, h11), ``--baseline-tree DIR`` (another checkout, e.g. before a change)
and Steady when a ``steady`` command is installed. Rate limits are counted but not enforced.
Also the engine's own time to produce a 500-token stream (no HTTP). Prints one table, then JSON.

Usage: python bench/run.py [--duration SECONDS] [--json out.json] [--baseline-tree DIR] [--no-fallback] [--source]
                           [--rounds N] [--pin]

``--rounds N`` measures every server N times, in turn, and reports medians, with each round's ratio to that
round's bare run; ``--pin`` gives the servers one core (the last) and wrk the others: "on one core" as said.
"""

from __future__ import annotations

import argparse
import atexit
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
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-bench-0123456789"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the benchmark."}]}
# {n}: the request's number, so every body differs.
VARIED_CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Question {n}: how long is bridge {n}?"}]}
RESPONSES_TOOL = {"model": "gpt-4o-mini", "input": "What is the weather in city {n}?", "tools": [{
    "type": "function", "name": "get_weather", "description": "Current weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]}
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


def pinned_to(cpus: set[int] | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that keeps a child (and every thread it starts) on ``cpus``; None leaves it free."""
    return None if cpus is None else (lambda: os.sched_setaffinity(0, cpus))


def start(cmd: list[str], port: int, env: dict[str, str] | None = None, cpus: set[int] | None = None) -> subprocess.Popen:
    env = {**os.environ, **(env or {})}
    # `python -m` puts the working directory first on the path: run where the PYTHONPATH's first tree is.
    cwd = env.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[-1]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=pinned_to(cpus))
    try:
        wait_port(port, timeout=60)  # a loaded machine can take a while to import everything
    except RuntimeError:
        os.killpg(proc.pid, signal.SIGTERM)
        raise RuntimeError(f"{' '.join(cmd)} did not start listening (exit code {proc.poll()})") from None
    return proc


def wrk_output(url: str, body: dict | None, connections: int, duration: int, cpus: set[int] | None = None) -> str:
    """What one wrk run prints; a body with ``{n}`` in it gets the request's number there (varied bodies)."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    lua = f'wrk.headers["Authorization"] = "Bearer {KEY}"\n'
    if body is not None:
        lua += 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        text = json.dumps(body)
        if "{n}" in text:
            parts = text.split("{n}")
            lua += "local n = 0\nrequest = function()\n  n = n + 1\n"
            lua += "  return wrk.format(nil, nil, nil, " + " .. n .. ".join(json.dumps(p) for p in parts) + ")\nend\n"
        else:
            lua += f"wrk.body = {json.dumps(text)}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        return subprocess.run([*args, "-s", script.name], capture_output=True, text=True, timeout=duration + 30,
                              preexec_fn=pinned_to(cpus)).stdout
    finally:
        os.unlink(script.name)


def wrk(url: str, body: dict | None, connections: int, duration: int, cpus: set[int] | None = None) -> dict:
    """One wrk run: requests per second, p50 and p99 in ms, and how many answers were not 2xx."""
    out = wrk_output(url, body, connections, duration, cpus)
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
    from mockapi.assembly import build_engine
    from mockapi.core.config import Settings
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


def bare_server(body_bytes: int) -> tuple[list[str], dict[str, str]]:
    """The bare Starlette endpoint (uvicorn with uvloop and httptools), answering ``body_bytes`` bytes: (command without
    the port, environment)."""
    return ([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--loop", "uvloop", "--http", "httptools",
             "--log-level", "warning", "--no-access-log"], {"BARE_BODY_BYTES": str(body_bytes), "PYTHONPATH": str(ROOT)})


def mock_server(config: str, path: str = str(ROOT)) -> tuple[list[str], dict[str, str]]:
    """``mockapi serve`` as users run it (its own protocol classes, heap settled at start), importing from ``path``
    (a checkout, or several joined by ``os.pathsep``): (command without the port, environment)."""
    return [sys.executable, "-m", "mockapi", "serve", "--config", config, "--log-level", "warning"], {"PYTHONPATH": path}


def compiled_checkout() -> str | None:
    """A copy of this checkout with the hot path compiled in place by setup.py, as a wheel installs it; None where
    that cannot be built (no C compiler or mypyc: the mock is then measured from source). Built once per process."""
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = _build_compiled()
    return _COMPILED or None


_COMPILED: str | None = None


def compile_in_copy(tree: Path, with_tests: bool = False) -> subprocess.CompletedProcess:
    """Copy this checkout's package (and its tests) into ``tree``, with the built-in data and what the docs' tests read
    linked, and compile the hot path in place there as a wheel would (``setup.py build_ext --inplace``)."""
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    for name in ("mockapi", "tests") if with_tests else ("mockapi",):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.so", ".hypothesis"))
    for name in ("contracts", "fixtures", "examples", "docs"):  # found beside the package, as in a checkout
        (tree / name).symlink_to(ROOT / name)
    return subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree, capture_output=True,
                          text=True, timeout=1200)


def _build_compiled() -> str:
    if not (shutil.which("cc") or shutil.which("gcc")):
        return ""
    tree = Path(tempfile.mkdtemp(prefix="mockapi-compiled-"))
    atexit.register(shutil.rmtree, tree, True)
    print("compiling the hot path (setup.py build_ext --inplace) in", tree, file=sys.stderr)
    built = compile_in_copy(tree)
    if built.returncode != 0 or not list((tree / "mockapi" / "core").glob("engine.*.so")):
        print("the hot path did not compile; measuring the mock from source:", built.stderr[-500:], file=sys.stderr)
        return ""
    return str(tree)


def steady_server() -> tuple[list[str], dict[str, str]] | None:
    """Steady serving the contract, when a ``steady`` command is installed: (command without the port, environment)."""
    if not shutil.which("steady"):
        return None
    return ["steady", "--host", "127.0.0.1", "--quiet", str(ROOT / "contracts" / "openapi.json")], {}


def bare_key(scenario: str) -> str:
    """The bare run a scenario's ratio is taken against: the one at the same concurrency."""
    return f"bare:chat_varied_c{scenario.rsplit('_c', 1)[-1]}"


def servers(args: argparse.Namespace, body_bytes: int, config: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """name -> (command without the port, environment) of every server this run compares."""
    compiled = None if args.source else compiled_checkout()
    # "mock" is what an install from a wheel runs (the hot path compiled); "mock_source" what a checkout runs.
    found = {"bare": bare_server(body_bytes), "mock": mock_server(config, compiled or str(ROOT))}
    if compiled:
        found["mock_source"] = mock_server(config)
    if not args.no_fallback:  # bench/fallback hides orjson, jsonschema-rs, uvloop and httptools: asyncio and h11
        found["mock_fallback"] = mock_server(config, f"{ROOT / 'bench' / 'fallback'}{os.pathsep}{ROOT}")
    if args.baseline_tree:
        found["mock_baseline"] = mock_server(config, str(Path(args.baseline_tree).resolve()))
    steady = steady_server()
    if steady is not None:
        found["steady"] = steady
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--json", default=None)
    parser.add_argument("--baseline-tree", default=None, help="another checkout to measure side by side (before a change)")
    parser.add_argument("--no-fallback", action="store_true", help="skip the install-without-wheels server")
    parser.add_argument("--source", action="store_true", help="measure the mock from source only (no compiled hot path)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every server this many times, in turn, and report medians (the host's drift falls on all alike)")
    parser.add_argument("--pin", action="store_true",
                        help="one core each: every server on the last CPU, wrk on the others (needs 2 or more)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (bash scripts/ensure-system-deps.sh)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from mockapi.assembly import build_engine
    from mockapi.core.engine import Request

    # Size the bare body like a real chat reply so the comparison is about work, not bytes.
    sample = build_engine().handle(Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {KEY}", "content-type": "application/json"},
                                           json.dumps(CHAT).encode()))
    config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    config.write("rate_limits: {enforce: false}\n")  # the load would exceed any tier in seconds
    config.close()
    load_before = os.getloadavg()
    results: dict = {"body_bytes": len(sample.body), "cores": os.cpu_count(), "load_before": [round(x, 2) for x in load_before]}
    procs: dict[str, tuple[subprocess.Popen, int]] = {}
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus, load_cpus = ({cpus[-1]}, set(cpus[:-1])) if args.pin and len(cpus) > 1 else (None, None)
    results["pinned"] = None if server_cpus is None else {"servers": sorted(server_cpus), "wrk": sorted(load_cpus)}
    try:
        for name, (cmd, env) in servers(args, len(sample.body), config.name).items():
            port = free_port()
            started = time.monotonic()
            procs[name] = (start([*cmd, "--port", str(port)], port, env, server_cpus), port)
            results[f"{name}_listening_s"] = round(time.monotonic() - started, 3)
        scenarios = [("chat_varied_c32", "/v1/chat/completions", VARIED_CHAT, 32), ("chat_varied_c1", "/v1/chat/completions", VARIED_CHAT, 1),
                     ("responses_tool_c32", "/v1/responses", RESPONSES_TOOL, 32),
                     ("stream500_c32", "/v1/chat/completions", STREAM, 32), ("models_c32", "/v1/models", None, 32)]
        runs: dict[str, list[dict]] = {}
        for _ in range(max(1, args.rounds)):
            for scenario, path, body, c in scenarios:
                for name, (_, port) in procs.items():
                    if name == "bare" and scenario != "chat_varied_c32" and scenario != "chat_varied_c1":
                        continue  # one bare figure per concurrency: the ratios' denominator
                    # Steady serves the contract's paths as written, under its server URL's root (no /v1), as the SDK's tests use it.
                    url_path = path.removeprefix("/v1") if name == "steady" else path
                    runs.setdefault(f"{name}:{scenario}", []).append(
                        wrk(f"http://127.0.0.1:{port}{url_path}", body, c, args.duration, load_cpus))
        results.update(medians(runs))
        results["engine_stream500"] = engine_stream_time()
    finally:
        for proc, _ in procs.values():
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        os.unlink(config.name)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print_table(results, list(procs))
    bad = {k: v["non_2xx"] for k, v in results.items() if isinstance(v, dict) and v.get("non_2xx")}
    if bad:
        print(f"non-2xx responses: {bad}", file=sys.stderr)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def medians(runs: dict[str, list[dict]]) -> dict[str, dict]:
    """Each server's and scenario's figures over its rounds: medians, every round's req/s, and its ratio to bare in
    each round (``ratios``: the bare run of the same round and concurrency, so a drifting host cancels out)."""
    out = {}
    for key, found in runs.items():
        name, scenario = key.split(":", 1)
        bare = runs.get(bare_key(scenario))
        figures = {field: statistics.median(run[field] for run in found) for field in ("rps", "p50_ms", "p99_ms")}
        figures["rps"] = round(figures["rps"])
        figures["non_2xx"] = sum(run["non_2xx"] for run in found)
        if len(found) > 1:
            figures["rounds_rps"] = [run["rps"] for run in found]
        if bare and len(found) > 1:
            figures["ratios"] = [round(run["rps"] / b["rps"], 3) for run, b in zip(found, bare)]
        out[key] = figures
    return out


def print_table(results: dict, names: list[str]) -> None:
    """One line per server and scenario: requests/s, ratio to bare at the same concurrency, p50, p99."""
    pinned = results.get("pinned")
    print(f"load average before {results['load_before']}, after {results['load_after']} on {results['cores']} cores"
          + (f"; servers pinned to CPU {pinned['servers']}, wrk to {pinned['wrk']}" if pinned else ""))
    print(f"{'server':<14} {'scenario':<20} {'req/s':>8} {'x bare':>7} {'p50 ms':>8} {'p99 ms':>8}  x bare by round")
    for key, figures in results.items():
        if ":" not in key:
            continue
        name, scenario = key.split(":", 1)
        bare = results.get(bare_key(scenario), {}).get("rps")
        ratios = figures.get("ratios")
        # Over several rounds the ratio is the median of each round's own ratio; with one, req/s over bare's.
        ratio = f"{statistics.median(ratios):.3f}" if ratios else f"{figures['rps'] / bare:.3f}" if bare else "-"
        spread = " ".join(f"{r:.3f}" for r in ratios) if ratios and name != "bare" else ""
        print(f"{name:<14} {scenario:<20} {figures['rps']:>8} {ratio:>7} {figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f}  {spread}")
    stream = results["engine_stream500"]
    print(f"engine time for a 500-token stream: median {stream['median_ms']} ms, p99 {stream['p99_ms']} ms")


if __name__ == "__main__":
    raise SystemExit(main())
