"""The long Schemathesis run (issue 14): at least ``--requests`` generated requests per validation level, 0 5xx.

It runs the same fuzzing as ``tests/test_fuzz.py`` (every operation of the contract, positive and negative
requests, all of Schemathesis's checks but the ones that file lists as left out by design) against the
in-process ASGI app, with more examples per operation, and prints per level the requests sent, the 5xx count
and the check failures. Exit 1 if any request got a 5xx or broke a check, or fewer requests were sent than asked.

Usage: python bench/fuzz_long.py [--requests 10000] [--level faithful --level schema] [--show 10]
At 10,000 requests a level expect about 15 minutes a level on 2 cores; ``--requests 500`` checks the wiring.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_fuzz import _METHODS, LEVELS, fuzz, fuzz_document  # noqa: E402 - the test module is the one definition

REQUESTS_PER_EXAMPLE = 1.4


def main(argv: list[str] | None = None) -> int:
    """Fuzz each level; exit 1 when any request got a 5xx or broke a check (or too few were sent)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="at least this many requests per level")
    parser.add_argument("--level", action="append", choices=LEVELS, help="a level to run (default: both)")
    parser.add_argument("--show", type=int, default=10, help="how many 5xx and failures to print")
    parser.add_argument("--examples", type=int, help="examples per operation and mode (default: from --requests)")
    args = parser.parse_args(argv)
    operations = sum(1 for item in fuzz_document()["paths"].values() for method in item if method in _METHODS)
    # Each operation gets `examples` positive and as many negative requests, but about 170 of the ~300 have nothing
    # a negative request can break (GET /models): one example per operation and mode sent 428 requests (~1.4 each).
    examples = args.examples or max(1, math.ceil(args.requests / (REQUESTS_PER_EXAMPLE * operations)))
    clean = True
    for level in args.level or LEVELS:
        started = time.monotonic()
        report = fuzz(level, examples=examples)
        failures = sum(report.failures.values())
        print(f"{level}: {report.requests} requests ({operations} operations, {examples} examples per operation "
              f"and mode) in {time.monotonic() - started:.0f} s: {len(report.server_errors)} 5xx, "
              f"{failures} check failures")
        for line in report.server_errors[:args.show]:
            print("  5xx:", line)
        for name, count in report.failures.most_common(args.show):
            print(f"  failure x{count}: {name}: {report.examples[name]}")
        if report.requests < args.requests:
            print(f"  only {report.requests} of the {args.requests} requests asked: raise --examples")
        clean = clean and not report.server_errors and not failures and report.requests >= args.requests
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
