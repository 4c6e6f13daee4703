"""Server CPU time per request under wrk, read from /proc: a throughput ratio that survives a loaded machine.

Requests per second move with whatever else the cores run; the CPU time the server process spends per
request does not (much). For a CPU-bound single worker, bare CPU / mock CPU per request is the throughput
ratio it would reach with a core to itself. Scenarios as in ``bench/run.py`` (varied bodies, c=32, rate
limits counted but not enforced); servers: the bare endpoint, ``mockapi serve`` and, when a ``steady`` command is
installed, Steady (its CPU per request against the mock's says how they compare with a core each).

Usage: python bench/server_cpu.py [chat|responses|stream|models|model ...] [--duration SECONDS] [--tree DIR]
       python bench/server_cpu.py [scenario ...] --against DIR [--rounds N]

``--against``: A/B against another checkout, both servers up at once and measured in alternating one-second
bursts (medians of ``--rounds``, user and system time apart), so that the host's drift falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import RESPONSES_TOOL, STREAM, VARIED_CHAT, free_port, start, wrk_output  # noqa: E402

SCENARIOS = {"chat": ("/v1/chat/completions", VARIED_CHAT), "responses": ("/v1/responses", RESPONSES_TOOL),
             "stream": ("/v1/chat/completions", STREAM), "models": ("/v1/models", None),
             "model": ("/v1/models/gpt-4o-mini", None)}  # the smallest answer: what every request costs the mock


def user_and_system(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / os.sysconf("SC_CLK_TCK"), int(fields[12]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, tree: bool = False) -> float:
    """User plus system CPU seconds of a process (``tree``: and of its direct children, e.g. uvicorn workers)."""
    pids = [pid]
    if tree:
        for task in os.listdir(f"/proc/{pid}/task"):
            pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return sum(sum(user_and_system(p)) for p in pids)


def wrk_requests(url: str, body: dict | None, seconds: int, connections: int = 32) -> tuple[int, int, str]:
    """(requests answered, non-2xx answers, p99 as wrk prints it) of one wrk run; ``{n}`` in a body numbers it."""
    out = wrk_output(url, body, connections, seconds)
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return answered, int(non_2xx.group(1)) if non_2xx else 0, re.search(r"99%\s+([\d.]+\w+)", out).group(1)


def per_request(cmd: list[str], env: dict[str, str], scenario: str, seconds: int, *, steady: bool = False) -> dict[str, float | str]:
    """Start a server, warm it, and measure its CPU microseconds per request over ``seconds`` of wrk.

    ``steady``: ``cmd`` is Steady's, which takes its port before the spec and serves the paths without ``/v1``; its
    npm command is a Node launcher around the compiled server, so the CPU counted is the launcher's children's too.
    """
    path, body = SCENARIOS[scenario]
    port = free_port()
    proc = start([*cmd[:-1], "--port", str(port), cmd[-1]] if steady else [*cmd, "--port", str(port)], port, env)
    try:
        url = f"http://127.0.0.1:{port}{path.removeprefix('/v1') if steady else path}"
        wrk_requests(url, body, 1)
        before = cpu_seconds(proc.pid, tree=steady)
        answered, bad, p99 = wrk_requests(url, body, seconds)
        used = cpu_seconds(proc.pid, tree=steady) - before
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    return {"cpu_us": used / answered * 1e6, "rps": answered / seconds, "p99": p99, "non_2xx": bad}


def interleaved(trees: list[str], scenario: str, config: str, rounds: int) -> dict[str, tuple[float, float, float]]:
    """tree -> median (user us, system us, req/s) per request over ``rounds`` alternating 1 s bursts."""
    path, body = SCENARIOS[scenario]
    servers = {}
    try:
        for tree in trees:
            port = free_port()
            servers[tree] = (start([sys.executable, "-m", "mockapi", "serve", "--config", config, "--log-level", "warning",
                                    "--port", str(port)], port, {"PYTHONPATH": tree}), f"http://127.0.0.1:{port}{path}")
        for _, url in servers.values():
            wrk_requests(url, body, 1)  # warm
        bursts: dict[str, list[tuple[float, float, float]]] = {tree: [] for tree in trees}
        for _ in range(rounds):
            for tree, (proc, url) in servers.items():
                user, system = user_and_system(proc.pid)
                answered, _, _ = wrk_requests(url, body, 1)
                user_after, system_after = user_and_system(proc.pid)
                bursts[tree].append(((user_after - user) / answered * 1e6, (system_after - system) / answered * 1e6, answered))
    finally:
        for proc, _ in servers.values():
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
    return {tree: tuple(statistics.median(b[i] for b in found) for i in range(3)) for tree, found in bursts.items()}  # type: ignore[misc]


def main() -> int:
    """Bare once, then the mock per scenario; print CPU per request and the ratio to bare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["chat", "responses", "stream"])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--tree", default=str(ROOT), help="the checkout whose mock to measure (default: this one)")
    parser.add_argument("--against", default=None, help="another checkout: an interleaved A/B of the two")
    parser.add_argument("--rounds", type=int, default=10, help="alternating bursts per server, with --against")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as config:
        config.write("rate_limits: {enforce: false}\n")
    if args.against:
        try:
            print(f"{'tree':<40} {'scenario':<10} {'user us':>8} {'sys us':>7} {'total':>7} {'req/s':>7}")
            for scenario in args.scenarios:
                for tree, (user, system, rps) in interleaved([args.against, args.tree], scenario, config.name, args.rounds).items():
                    print(f"{tree[-40:]:<40} {scenario:<10} {user:>8.0f} {system:>7.0f} {user + system:>7.0f} {rps:>7.0f}")
        finally:
            os.unlink(config.name)
        return 0
    try:
        bare = per_request([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--loop", "uvloop", "--http", "httptools",
                            "--log-level", "warning", "--no-access-log"],
                           {"PYTHONPATH": str(ROOT), "BARE_BODY_BYTES": "834"}, "chat", args.duration)
        print(f"load average {[round(x, 2) for x in os.getloadavg()]} on {os.cpu_count()} cores; tree {args.tree}")
        print(f"{'server':<8} {'scenario':<10} {'CPU us/req':>10} {'x bare':>7} {'req/s':>7} {'p99':>9}")
        print(f"{'bare':<8} {'chat':<10} {bare['cpu_us']:>10.0f} {1:>7.3f} {bare['rps']:>7.0f} {bare['p99']:>9}")
        for scenario in args.scenarios:
            mock = per_request([sys.executable, "-m", "mockapi", "serve", "--config", config.name, "--log-level", "warning"],
                               {"PYTHONPATH": args.tree}, scenario, args.duration)
            print(f"{'mock':<8} {scenario:<10} {mock['cpu_us']:>10.0f} {bare['cpu_us'] / mock['cpu_us']:>7.3f} "
                  f"{mock['rps']:>7.0f} {mock['p99']:>9}" + (f"  non-2xx {mock['non_2xx']}" if mock["non_2xx"] else ""))
            if shutil.which("steady") and scenario in ("chat", "responses"):  # its stream is one canned example: no peer
                other = per_request(["steady", "--host", "127.0.0.1", "--quiet", str(ROOT / "contracts" / "openapi.json")],
                                    {}, scenario, args.duration, steady=True)
                print(f"{'steady':<8} {scenario:<10} {other['cpu_us']:>10.0f} {bare['cpu_us'] / other['cpu_us']:>7.3f} "
                      f"{other['rps']:>7.0f} {other['p99']:>9}  mock is {other['cpu_us'] / mock['cpu_us']:.2f}x Steady on one core"
                      + (f"  non-2xx {other['non_2xx']}" if other["non_2xx"] else ""))
    finally:
        os.unlink(config.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
