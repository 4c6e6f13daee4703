"""Server CPU time per request under wrk, read from /proc: a throughput ratio that survives a loaded machine.

Requests per second move with whatever else the cores run; the CPU time the server process spends per
request does not (much). For a CPU-bound single worker, bare CPU / mock CPU per request is the throughput
ratio it would reach with a core to itself. Scenarios as in ``bench/run.py`` (varied bodies, c=32, rate
limits counted but not enforced); servers: the bare endpoint, ``mockapi serve`` and, when a ``steady`` command is
installed, Steady (its CPU per request against the mock's says how they compare with a core each).

Usage: python bench/server_cpu.py [chat|responses|stream|models|model ...] [--rounds N] [--tree DIR]
       python bench/server_cpu.py [scenario ...] --against DIR [--rounds N]

Every server is up at once and measured in turn in one-second bursts, ``--rounds`` times (medians, and each
round's ratio to that round's bare burst), so that the host's drift falls on all alike. ``--against``: an A/B of
two checkouts' mocks the same way (user and system time apart).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
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


def burst(pid: int, url: str, body: dict | None, children: bool = False) -> tuple[float, float, int]:
    """One 1 s wrk burst: (user + system CPU us per request, req/s, non-2xx answers) of the server ``pid``
    (``children``: with its direct children's, for a launcher such as Steady's npm command)."""
    before = cpu_seconds(pid, tree=children)
    answered, bad, _ = wrk_requests(url, body, 1)
    return (cpu_seconds(pid, tree=children) - before) / max(1, answered) * 1e6, answered, bad


def side_by_side(scenarios: list[str], config: str, rounds: int, tree: str) -> dict[tuple[str, str], list[tuple[float, int, int]]]:
    """(server, scenario) -> one (CPU us per request, req/s, non-2xx) per round: the bare endpoint, the mock and Steady
    (when installed) all up at once and measured in turn, round after round, so that the host's drift falls on all."""
    python = sys.executable
    commands = {"bare": ([python, "-m", "uvicorn", "bench.bare_app:app", "--loop", "uvloop", "--http", "httptools",
                          "--log-level", "warning", "--no-access-log"], {"PYTHONPATH": str(ROOT), "BARE_BODY_BYTES": "834"}),
                "mock": ([python, "-m", "mockapi", "serve", "--config", config, "--log-level", "warning"], {"PYTHONPATH": tree})}
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    found: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    try:
        for name, (cmd, env) in commands.items():
            port = free_port()
            servers[name] = (start([*cmd, "--port", str(port)], port, env), port)
        if shutil.which("steady"):
            port = free_port()
            servers["steady"] = (start(["steady", "--host", "127.0.0.1", "--quiet", "--port", str(port),
                                        str(ROOT / "contracts" / "openapi.json")], port, {}), port)
        # Steady's stream is one canned example and its model list the contract's: only chat and Responses compare.
        plan = [("bare", "chat")] + [(name, scenario) for scenario in scenarios for name in servers
                                     if name == "mock" or (name == "steady" and scenario in ("chat", "responses"))]
        urls = {}
        for name, scenario in plan:
            path, body = SCENARIOS[scenario]
            urls[(name, scenario)] = (f"http://127.0.0.1:{servers[name][1]}{path.removeprefix('/v1') if name == 'steady' else path}", body)
            wrk_requests(*urls[(name, scenario)], 1)  # warm
        for _ in range(rounds):
            for name, scenario in plan:
                found.setdefault((name, scenario), []).append(burst(servers[name][0].pid, *urls[(name, scenario)], children=name == "steady"))
    finally:
        for proc, _ in servers.values():
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
    return found


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
    """The servers side by side (or two checkouts' mocks, ``--against``); print CPU per request and the ratio to bare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["chat", "responses", "stream"])
    parser.add_argument("--tree", default=str(ROOT), help="the checkout whose mock to measure (default: this one)")
    parser.add_argument("--against", default=None, help="another checkout: an interleaved A/B of the two")
    parser.add_argument("--rounds", type=int, default=10, help="alternating 1 s bursts per server and scenario")
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
        found = side_by_side(args.scenarios, config.name, args.rounds, args.tree)
    finally:
        os.unlink(config.name)
    bare = [cpu for cpu, _, _ in found[("bare", "chat")]]
    print(f"load average {[round(x, 2) for x in os.getloadavg()]} on {os.cpu_count()} cores; tree {args.tree}; "
          f"{args.rounds} rounds of 1 s bursts, medians; 'x bare' is the median of each round's bare CPU / this CPU")
    print(f"{'server':<8} {'scenario':<10} {'CPU us/req':>10} {'x bare':>7} {'req/s':>7}  x bare by round")
    for (name, scenario), runs in found.items():
        cpu = [c for c, _, _ in runs]
        ratios = [b / c for b, c in zip(bare, cpu)]
        line = (f"{name:<8} {scenario:<10} {statistics.median(cpu):>10.0f} {statistics.median(ratios):>7.3f} "
                f"{statistics.median(r for _, r, _ in runs):>7.0f}  {' '.join(f'{r:.3f}' for r in ratios)}")
        mock = found.get(("mock", scenario))
        if name == "steady" and mock:  # each round's Steady CPU over the mock's: how the two compare with a core each
            line += f"  mock is {statistics.median(c / m for c, (m, _, _) in zip(cpu, mock)):.2f}x Steady"
        bad = sum(b for _, _, b in runs)
        print(line + (f"  non-2xx {bad}" if bad else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
