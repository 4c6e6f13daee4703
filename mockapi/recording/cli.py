"""The command-line parts of record/replay: ``serve --record/--replay`` options and ``mockapi drift``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import RecordingOptions


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    """The record/replay options of ``mockapi serve``."""
    group = serve.add_argument_group("record and replay (docs/record-replay.md)")
    group.add_argument("--record", metavar="DIR", default=None, help="record exchanges with --upstream into DIR")
    group.add_argument("--replay", metavar="DIR", default=None, help="serve the fixtures of DIR")
    group.add_argument("--upstream", metavar="URL", default=None,
                       help="the OpenAI-compatible base URL to forward to, e.g. https://api.openai.com/v1")
    group.add_argument("--record-mode", choices=["record", "record-on-miss"], default=None,
                       help="with --record: forward everything (record, the default) or only what no fixture matches")
    group.add_argument("--strict", action="store_true", help="with --replay: a miss is a 404 naming the closest fixture")
    group.add_argument("--replay-speed", type=float, default=None,
                       help="replay streams with the recorded timing, this many times faster (1 = as recorded)")
    group.add_argument("--scrub", action="append", default=None, metavar="REGEX",
                       help="also scrub what this regex matches (repeatable), e.g. emails")


def recording_of(args: argparse.Namespace) -> dict[str, Any] | None:
    """The ``Settings.extra["recording"]`` mapping the serve flags ask for (ValueError when they disagree)."""
    if args.record and args.replay:
        raise ValueError("--record and --replay are exclusive (--record-mode record-on-miss serves what matches)")
    if not args.record and not args.replay:
        if args.upstream or args.record_mode or args.strict or args.replay_speed or args.scrub:
            raise ValueError("--upstream, --record-mode, --strict, --replay-speed and --scrub need --record or --replay")
        return None
    if args.record and not args.upstream:
        raise ValueError("--record needs --upstream URL")
    options = RecordingOptions(
        args.record or args.replay, mode=(args.record_mode or "record") if args.record else "replay",
        upstream=args.upstream, strict=args.strict, replay_speed=args.replay_speed, scrub_patterns=tuple(args.scrub or ()))
    return options.to_mapping()


def add_drift_parser(sub: Any) -> None:
    """``mockapi drift DIR``."""
    drift = sub.add_parser("drift", help="check recorded answers against the current contract (exits 1 on drift)")
    drift.add_argument("directory", help="a directory of recorded fixtures")
    drift.add_argument("--upstream", default=None,
                       help="also re-send each recorded request to this base URL and compare the answers' shapes")
    drift.add_argument("--api-key", default=None, help="the key for --upstream (default: $OPENAI_API_KEY)")


def drift_main(args: argparse.Namespace) -> int:
    """Run ``mockapi drift``: print the drift table; 1 when there is drift, 2 on bad input."""
    import os

    from .drift import check_directory, check_live, render

    try:
        findings = check_directory(args.directory)
        if args.upstream:
            key = args.api_key or os.environ.get("OPENAI_API_KEY") or ""
            findings += check_live(args.directory, args.upstream, key)
    except ValueError as exc:
        print(f"mockapi drift: {exc}", file=sys.stderr)
        return 2
    print(render(findings))
    return 1 if findings else 0
