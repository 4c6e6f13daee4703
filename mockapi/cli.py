"""The ``mockapi`` command: ``serve`` the mock (or record/replay), list its ``routes``, ``verify`` a server, ``drift``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Sequence

from .core.config import ConfigError, load_settings


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="mockapi", description="An OpenAI API mock server and contract-testing harness.")
    parser.add_argument("--version", action="version", version=f"mockapi {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the mock over HTTP")
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1; env MOCKAPI_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000; env MOCKAPI_PORT)")
    serve.add_argument("--seed", type=int, default=None, help="seed of every generated answer (env MOCKAPI_SEED)")
    serve.add_argument("--config", default=None, help="YAML or JSON config file (env MOCKAPI_CONFIG)")
    serve.add_argument("--validation", choices=["faithful", "schema"], default=None,
                       help="faithful: the contract plus the real API's rules (default); schema: shapes only")
    serve.add_argument("--key-format", choices=["auto", "sk", "any"], default=None,
                       help="which bearer tokens pass as keys: sk (OpenAI-shaped), any, or auto (default: sk at faithful, "
                            "any at schema; env MOCKAPI_KEY_FORMAT)")
    serve.add_argument("--fixtures", action="append", default=None, help="directory of canned replies (repeatable)")
    serve.add_argument("--store", default=None, help="state backend: memory (default) or redis://host:port/db")
    serve.add_argument("--workers", type=int, default=None, help="uvicorn worker processes (default 1)")
    serve.add_argument("--unknown-ids", choices=["404", "synthesize"], default=None, help="what an unknown object id gives")
    serve.add_argument("--ssl-certfile", default=None, help="serve HTTPS and wss:// with this PEM certificate (with --ssl-keyfile)")
    serve.add_argument("--ssl-keyfile", default=None, help="the certificate's PEM private key")
    serve.add_argument("--log-level", default="warning")
    from .recording.cli import add_drift_parser, add_serve_arguments

    add_serve_arguments(serve)
    routes = sub.add_parser("routes", help="print every operation the mock serves")
    routes.add_argument("--all", action="store_true", help="include contract operations without a handler")
    fixtures = sub.add_parser("fixtures", help="work with canned-reply files")
    fixtures_sub = fixtures.add_subparsers(dest="fixtures_command", required=True)
    check = fixtures_sub.add_parser("check", help="validate canned-reply files offline (exit 0 when all are valid, else 2)")
    check.add_argument("paths", nargs="+", metavar="DIR", help="a fixtures directory or file (repeatable)")
    verify = sub.add_parser("verify", help="check an OpenAI-compatible server against the contract (mockapi.harness.server)")
    verify.add_argument("--base-url", required=True, help="the server's base URL, ending in /v1")
    verify.add_argument("--api-key", default="sk-verify-0000000000000000", help="the key sent as Authorization: Bearer")
    verify.add_argument("--only", action="append", help="groups (chat, responses, files...) or operationIds, comma-separated")
    verify.add_argument("--skip", action="append", help="an operationId or operationId:kind to leave out (repeatable)")
    verify.add_argument("--max-examples", type=int, default=10, help="generated requests per operation and kind")
    verify.add_argument("--junit", default=None, help="write a JUnit XML report here")
    verify.add_argument("--verbose", action="store_true", help="print each case as it finishes")
    add_drift_parser(sub)
    verify.add_argument("--hypothesis-dir", default=None,
                        help="keep Hypothesis's files here (default: a temp dir, removed afterwards; no .hypothesis/ folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = build_parser().parse_args(argv)
    if args.command == "routes":
        return _routes(args)
    if args.command == "fixtures":
        return _fixtures_check(args)
    if args.command == "verify":
        from .harness.server_cli import main as verify_main

        return verify_main(args)
    if args.command == "drift":
        from .recording.cli import drift_main

        return drift_main(args)
    return _serve(args)


def _settings(args: argparse.Namespace):  # noqa: ANN202
    from .recording.cli import recording_of

    settings = load_settings(
        args.config, host=args.host, port=args.port, seed=args.seed, validation=args.validation,
        fixtures=tuple(args.fixtures) if args.fixtures else None, store=args.store, workers=args.workers,
        unknown_ids=args.unknown_ids, key_format=args.key_format,
    )
    try:  # --record/--replay (mockapi/recording/cli.py); a `recording:` mapping in the config file works too
        recording = recording_of(args) or settings.extra.get("recording")
        if recording:
            from .recording.options import RecordingOptions

            RecordingOptions.from_mapping(recording)  # refuse bad options before serving
            if settings.workers > 1:
                raise ValueError("record and replay need a single worker (--workers 1)")
            settings = settings.with_overrides(extra={**settings.extra, "recording": recording})
    except (ValueError, TypeError) as exc:
        raise ConfigError(str(exc)) from None
    return settings


def _serve(args: argparse.Namespace) -> int:
    """Check everything, bind, announce, serve: any start-up problem is one line on stderr and exit 2."""
    try:
        settings = _settings(args)
        # Workers re-create the app from the environment, so hand them the settings that way.
        os.environ["MOCKAPI_SETTINGS_JSON"] = _settings_json(settings)
        from .doors.serving import StartupError, bind, build_app, serve
    except ConfigError as exc:
        print(f"mockapi: {exc}", file=sys.stderr)
        return 2
    if settings.workers > 1 and settings.store == "memory":  # each process would keep its own state and limits
        print(f"mockapi: --workers {settings.workers} needs a shared store: with the memory store every worker keeps its own "
              "objects and rate-limit counters (an object made on one worker is a 404 on another, limits multiply). "
              "Use --store redis://HOST:6379/0, or one worker.", file=sys.stderr)
        return 2
    try:
        options = _uvicorn_options(args, settings)
        app = build_app(settings)  # fixtures, store and extras are checked here, before the port is taken
        sock = bind(settings.host, settings.port)
    except (StartupError, ValueError) as exc:
        print(f"mockapi: {exc}", file=sys.stderr)
        return 2
    from .traffic.redaction import install_log_redaction, known_secrets

    install_log_redaction(known_secrets(settings))  # uvicorn's access log: keys and ?token= masked (workers: worker.py)
    with sock:
        serve(settings, app, sock, options)
    return 0


def _uvicorn_options(args: argparse.Namespace, settings: Any) -> dict:
    """How uvicorn runs: uvloop when installed, httptools with OpenAI-shaped 400s and the idle timeouts, the log level."""
    # An access line is logged at info: below that level uvicorn would still build each line's fields for nothing.
    visible = str(args.log_level).lower() in ("trace", "debug", "info")
    options: dict = dict(log_level=args.log_level, lifespan="on", access_log=visible)
    try:
        import uvloop  # noqa: F401

        options["loop"] = "uvloop"
    except ImportError:
        pass
    from .core.limits import RequestLimits
    from .doors.protocols import uvicorn_options

    options.update(uvicorn_options(RequestLimits.from_config(settings.extra.get("limits"))))  # ValueError: a bad limit
    # TLS, for clients that dial only https:// or wss:// (the Node SDK 7.x's Realtime WebSocket refuses ws://).
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise ValueError("--ssl-certfile and --ssl-keyfile go together")
    for name in ("ssl_certfile", "ssl_keyfile"):
        path = getattr(args, name)
        if path and not os.path.isfile(path):
            raise ValueError(f"--{name.replace('_', '-')} {path}: no such file")
        if path:
            options[name] = path
    return options


def _settings_json(settings) -> str:  # noqa: ANN001
    import dataclasses
    import json

    return json.dumps(dataclasses.asdict(settings), default=str)


def _fixtures_check(args: argparse.Namespace) -> int:
    """Load every fixture file on its own and say, per file, whether the server would accept it."""
    from pathlib import Path

    from .core.overrides import Overrides

    failed, checked = 0, 0
    for given in args.paths:
        root = Path(given)
        if not root.exists():
            print(f"error {root}: no such file or directory")
            failed += 1
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        if not files:
            print(f"error {root}: no fixture files (*.yaml, *.yml, *.json)")
            failed += 1
        for path in files:
            checked += 1
            try:
                rules = Overrides.load([path]).rules
            except ConfigError as exc:
                print(f"error {exc}")
                failed += 1
            else:
                print(f"ok    {path} ({len(rules)} rule{'s' if len(rules) != 1 else ''})")
    print(f"{checked} file(s) checked, {failed} problem(s)", file=sys.stderr)
    return 2 if failed else 0


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("mockapi")
    except Exception:  # not installed (run from a checkout): the package's own number
        from . import __version__

        return __version__


def _routes(args: argparse.Namespace) -> int:
    from .api import discover_handlers
    from .core.contract import load_contract

    handlers = discover_handlers()
    for op in load_contract().operations:
        if op.operation_id in handlers or args.all:
            flags = []
            if op.stream_schema is not None:
                flags.append("stream")
            if op.raw.get("x-stateful"):
                flags.append("stateful")
            if op.operation_id not in handlers:
                flags.append("not served")
            print(f"{op.method:6} /v1{op.path:50} {op.operation_id:32} {' '.join(flags)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
