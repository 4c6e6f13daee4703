"""``mockapi verify``: check a server against the contract, print the table, write JUnit XML, exit 1 on failure."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from typing import Callable, Iterator

STORAGE_VARIABLE = "HYPOTHESIS_STORAGE_DIRECTORY"


def main(args: argparse.Namespace) -> int:
    """Run the verification the parsed arguments describe; the process exit code."""
    try:
        from .server import ServerVerifier
        from .server_report import failures, junit, table
    except ImportError as exc:  # hypothesis and httpx come with the `harness` (or `test`) extra
        print(f"mockapi verify needs the harness extra: pip install 'mockapi[harness]' ({exc})", file=sys.stderr)
        return 2
    only = [part for value in args.only or [] for part in value.split(",")]
    verbose = (lambda c: print(f"{c.status:4} {c.operation} [{c.kind}]", file=sys.stderr, flush=True)) if args.verbose else None
    try:
        with hypothesis_storage(getattr(args, "hypothesis_dir", None)):
            verifier = ServerVerifier(args.base_url, args.api_key, max_examples=args.max_examples)
            report = verifier.run(only, skip=args.skip or (), progress=verbose, on_operation=_progress_printer())
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


@contextlib.contextmanager
def hypothesis_storage(directory: str | None) -> Iterator[str]:
    """Where Hypothesis keeps its files meanwhile: ``directory`` when asked, else a temp dir removed after.

    Hypothesis writes a ``.hypothesis/`` folder in the working directory by default (its caches, even
    with the example database off); ``mockapi verify`` runs in the user's project, so it goes elsewhere.
    """
    before = os.environ.get(STORAGE_VARIABLE)
    where = directory or tempfile.mkdtemp(prefix="mockapi-verify-hypothesis-")
    os.environ[STORAGE_VARIABLE] = where
    try:
        yield where
    finally:
        if before is None:
            os.environ.pop(STORAGE_VARIABLE, None)
        else:
            os.environ[STORAGE_VARIABLE] = before
        if directory is None:
            shutil.rmtree(where, ignore_errors=True)


def _progress_printer() -> Callable[[int, int, str], None]:
    """Operations done/total on stderr: one updating line on a terminal, a line per operation otherwise."""
    tty = sys.stderr.isatty()

    def show(done: int, total: int, name: str) -> None:
        text = f"[{done}/{total}] {name}"
        if tty:
            print(f"\r\033[K{text}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)

    return show
