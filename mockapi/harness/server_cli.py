"""``mockapi verify``: check a server against the contract, print the table, write JUnit XML, exit 1 on failure."""

from __future__ import annotations

import argparse
import sys


def main(args: argparse.Namespace) -> int:
    """Run the verification the parsed arguments describe; the process exit code."""
    try:
        from .server import ServerVerifier
        from .server_report import failures, junit, table
    except ImportError as exc:  # hypothesis and httpx come with the `harness` (or `test`) extra
        print(f"mockapi verify needs the harness extra: pip install 'mockapi[harness]' ({exc})", file=sys.stderr)
        return 2
    only = [part for value in args.only or [] for part in value.split(",")]
    try:
        verifier = ServerVerifier(args.base_url, args.api_key, max_examples=args.max_examples)
        if args.verbose:
            report = verifier.run(only, skip=args.skip or (),
                                  progress=lambda c: print(f"{c.status:4} {c.operation} [{c.kind}]", file=sys.stderr, flush=True))
        else:
            report = verifier.run(only, skip=args.skip or ())
    except ValueError as exc:
        print(f"mockapi verify: {exc}", file=sys.stderr)
        return 2
    print(table(report))
    if report.failures:
        print()
        print(failures(report))
    if args.junit:
        junit(report, args.junit)
    return 1 if report.failures else 0
