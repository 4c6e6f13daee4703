"""Server CPU time per request under wrk, read from /proc: a throughput ratio that survives a loaded machine.

Requests per second move with whatever else the cores run; the CPU time the server process spends per
request does not (much). For a CPU-bound single worker, bare CPU / mock CPU per request is the throughput
ratio it would reach with a core to itself. Scenarios as in ``bench/run.py`` (varied bodies, c=32, rate
limits counted but not enforced); servers: the bare endpoint, ``mockapi serve`` (its hot path compiled in a temporary
copy, as a wheel installs it; ``--source``: this checkout as it is) and, when a ``steady`` command is installed, Steady (its CPU per request against the mock's says how they compare with a core each).

Usage: python bench/server_cpu.py [chat|responses|stream|models|model ...] [--rounds N] [--tree DIR | --source]
       python bench/server_cpu.py [scenario ...] --against DIR [--rounds N]

Every server is up at once and measured in turn in one-second bursts, ``--rounds`` times (medians, and each
round's ratio to that round's bare burst), so that the host's drift falls on all alike. ``--against``: an A/B of
two checkouts' mocks the same way (user and system time apart).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import (  # noqa: E402
    RESPONSES_TOOL,
    STREAM,
    VARIED_CHAT,
    bare_server,
    compiled_checkout,
    free_port,
    mock_server,
    start,
    steady_server,
    wrk_output,
)

SCENARIOS = {"chat": ("/v1/chat/completions", VARIED_CHAT), "responses": ("/v1/responses", RESPONSES_TOOL),
             "stream": ("/v1/chat/completions", STREAM), "models": ("/v1/models", None),
             "model": ("/v1/models/gpt-4o-mini", None)}  # the smallest answer: what every request costs the mock


def user_and_system(pid: int, tree: bool = False) -> tuple[float, float]:
    """User and system CPU seconds of a process (``tree``: with its direct children's, e.g. uvicorn workers)."""
    pids = [pid]
    if tree:
        for task in os.listdir(f"/proc/{pid}/task"):
            pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    user = system = 0.0
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        user, system = user + int(fields[11]) / os.sysconf("SC_CLK_TCK"), system + int(fields[12]) / os.sysconf("SC_CLK_TCK")
    return user, system


def cpu_seconds(pid: int, tree: bool = False) -> float:
    """User plus system CPU seconds of a process (``tree``: and of its direct children)."""
    return sum(user_and_system(pid, tree))


def wrk_requests(url: str, body: dict | None, seconds: int, connections: int = 32) -> tuple[int, int, str]:
    """(requests answered, non-2xx answers, p99 as wrk prints it) of one wrk run; ``{n}`` in a body numbers it."""
    out = wrk_output(url, body, connections, seconds)
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return answered, int(non_2xx.group(1)) if non_2xx else 0, re.search(r"99%\s+([\d.]+\w+)", out).group(1)


def in_turn(targets: dict[Any, tuple[int, str, dict | None, bool]], rounds: int) -> dict[Any, list[tuple[float, float, int, int]]]:
    """Each target -> one (user us, system us per request, requests answered, non-2xx) per round of 1 s wrk bursts.

    A target is (server pid, URL, body, whether to count the server's children too: a launcher such as Steady's npm
    command). Each is warmed once, then all are measured in turn, round after round, so the host's drift falls on all.
    """
    for _, url, body, _ in targets.values():
        wrk_requests(url, body, 1)  # warm
    found: dict[Any, list[tuple[float, float, int, int]]] = {key: [] for key in targets}
    for _ in range(rounds):
        for key, (pid, url, body, children) in targets.items():
            user, system = user_and_system(pid, children)
            answered, bad, _ = wrk_requests(url, body, 1)
            user_after, system_after = user_and_system(pid, children)
            per = 1e6 / max(1, answered)
            found[key].append(((user_after - user) * per, (system_after - system) * per, answered, bad))
    return found


@contextlib.contextmanager
def serving(commands: dict[str, tuple[list[str], dict[str, str]]]) -> Iterator[dict[str, tuple[int, int]]]:
    """Start every server (its command without the port) at once: name -> (pid, port); all stopped afterwards."""
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        for name, (cmd, env) in commands.items():
            port = free_port()
            servers[name] = (start([*cmd, "--port", str(port)], port, env), port)
        yield {name: (proc.pid, port) for name, (proc, port) in servers.items()}
    finally:
        for proc, _ in servers.values():
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)


def interleaved(trees: list[str], scenario: str, config: str, rounds: int) -> dict[str, tuple[float, float, float]]:
    """tree -> median (user us, system us, req/s) per request over ``rounds`` alternating 1 s bursts."""
    path, body = SCENARIOS[scenario]
    with serving({tree: mock_server(config, tree) for tree in trees}) as servers:
        found = in_turn({tree: (pid, f"http://127.0.0.1:{port}{path}", body, False) for tree, (pid, port) in servers.items()}, rounds)
    return {tree: tuple(statistics.median(b[i] for b in runs) for i in range(3)) for tree, runs in found.items()}  # type: ignore[misc]


def side_by_side(scenarios: list[str], config: str, rounds: int, tree: str) -> dict[tuple[str, str], list[tuple[float, float, int, int]]]:
    """(server, scenario) -> one (user us, system us per request, requests, non-2xx) per round: the bare endpoint, the
    mock and Steady (when installed), all up at once and measured in turn."""
    commands = {"bare": bare_server(834), "mock": mock_server(config, tree)}
    steady = steady_server()
    if steady is not None:
        commands["steady"] = steady
    with serving(commands) as servers:
        # Steady's stream is one canned example and its model list the contract's: only chat and Responses compare.
        plan = [("bare", "chat")] + [(name, scenario) for scenario in scenarios for name in servers
                                     if name == "mock" or (name == "steady" and scenario in ("chat", "responses"))]
        targets = {}
        for name, scenario in plan:
            path, body = SCENARIOS[scenario]
            pid, port = servers[name]
            # Steady serves the contract's paths as written, under its root (no /v1).
            targets[(name, scenario)] = (pid, f"http://127.0.0.1:{port}{path.removeprefix('/v1') if name == 'steady' else path}",
                                         body, name == "steady")
        return in_turn(targets, rounds)


def main() -> int:
    """The servers side by side (or two checkouts' mocks, ``--against``); print CPU per request and the ratio to bare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["chat", "responses", "stream"])
    parser.add_argument("--tree", default=None, help="the checkout whose mock to measure (default: this one, its hot path "
                                                      "compiled in a temporary copy as a wheel has it)")
    parser.add_argument("--source", action="store_true", help="measure this checkout's mock from source (not compiled)")
    parser.add_argument("--against", default=None, help="another checkout: an interleaved A/B of the two")
    parser.add_argument("--rounds", type=int, default=10, help="alternating 1 s bursts per server and scenario")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as config:
        config.write("rate_limits: {enforce: false}\n")
    if args.against:
        try:
            print(f"{'tree':<40} {'scenario':<10} {'user us':>8} {'sys us':>7} {'total':>7} {'req/s':>7}")
            for scenario in args.scenarios:
                for tree, (user, system, rps) in interleaved([args.against, args.tree or str(ROOT)], scenario, config.name, args.rounds).items():
                    print(f"{tree[-40:]:<40} {scenario:<10} {user:>8.0f} {system:>7.0f} {user + system:>7.0f} {rps:>7.0f}")
        finally:
            os.unlink(config.name)
        return 0
    tree = args.tree or (str(ROOT) if args.source else compiled_checkout() or str(ROOT))
    try:
        found = side_by_side(args.scenarios, config.name, args.rounds, tree)
    finally:
        os.unlink(config.name)
    bare = [user + system for user, system, _, _ in found[("bare", "chat")]]
    print(f"load average {[round(x, 2) for x in os.getloadavg()]} on {os.cpu_count()} cores; tree {tree}; "
          f"{args.rounds} rounds of 1 s bursts, medians; 'x bare' is the median of each round's bare CPU / this CPU")
    print(f"{'server':<8} {'scenario':<10} {'CPU us/req':>10} {'x bare':>7} {'req/s':>7}  x bare by round")
    for (name, scenario), runs in found.items():
        cpu = [user + system for user, system, _, _ in runs]
        ratios = [b / c for b, c in zip(bare, cpu)]
        line = (f"{name:<8} {scenario:<10} {statistics.median(cpu):>10.0f} {statistics.median(ratios):>7.3f} "
                f"{statistics.median(r for _, _, r, _ in runs):>7.0f}  {' '.join(f'{r:.3f}' for r in ratios)}")
        mock = found.get(("mock", scenario))
        if name == "steady" and mock:  # each round's Steady CPU over the mock's: how the two compare with a core each
            line += f"  mock is {statistics.median(c / (u + y) for c, (u, y, _, _) in zip(cpu, mock)):.2f}x Steady"
        bad = sum(b for _, _, _, b in runs)
        print(line + (f"  non-2xx {bad}" if bad else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
