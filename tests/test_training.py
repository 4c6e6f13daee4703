"""The training mix a profile-guided build runs (mockapi/training.py): it must reach the paths clients use, never fail."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mockapi import training
from mockapi.core.engine import Request
from mockapi.core.results import Reply

ROOT = Path(__file__).resolve().parents[1]


def test_one_round_of_the_mix_answers_every_request_without_a_server_error() -> None:
    assert training.run(1) == len(list(training.requests(0))) + 2


def test_the_mix_reaches_chat_responses_streams_and_the_common_errors() -> None:
    engine = training.build_engine(training.Settings(extra={"rate_limits": {"enforce": False}}))
    statuses, streamed = [], 0
    for method, path, body in training.requests(7):
        reply = training.answer(engine, method, path, body)
        statuses.append((path, reply.status))
        streamed += reply.stream is not None and sum(1 for _ in reply.stream) > 2

    assert {path for path, status in statuses if status == 200} >= {"/v1/chat/completions", "/v1/responses", "/v1/embeddings",
                                                                     "/v1/models", "/v1/models/gpt-4o-mini"}
    assert sorted(status for _, status in statuses if status >= 400) == [400, 404]
    assert streamed == 2, "a chat stream and a Responses stream, read to the end"


def test_a_server_error_stops_the_training_instead_of_profiling_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class FailingEngine:
        def handle(self, request: Request) -> Reply:
            return Reply(500, [("content-type", "application/json")], b'{"error":{"type":"server_error"}}')

    monkeypatch.setattr(training, "build_engine", lambda settings: FailingEngine())
    with pytest.raises(RuntimeError, match="answered 500"):
        training.run(1)


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _with_dependencies(names: set[str]) -> set[str]:
    """``names`` and every distribution they install (extras left out), from the installed metadata."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _link_installed(names: set[str], into: Path) -> None:
    """Link each installed distribution of ``names`` (its packages, modules and metadata) into the directory ``into``."""
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for top in {f.parts[0] for f in dist.files or [] if f.parts and f.parts[0] not in ("..", "__pycache__")}:
            source, target = Path(str(dist.locate_file(top))), into / top
            if source.exists() and not target.exists():
                target.symlink_to(source)


def test_the_training_run_needs_nothing_but_the_build_requirements(tmp_path: Path) -> None:
    # An isolated build (pip, the Docker image) has only the build requirements: a package the engine imports that
    # is not among them fails the training run, and the wheel is built without a profile (it says so, once, in a log
    # nobody reads). Here the run gets exactly those packages (and what they install), nothing else of this venv.
    tomllib = pytest.importorskip("tomllib")
    required = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]}
    _link_installed(_with_dependencies(required), tmp_path)
    code = "import sys; from mockapi import training; print(training.run(1), len(sys.modules))"
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])})

    assert done.returncode == 0, done.stderr[-2000:]
    assert "orjson" in {p.name for p in tmp_path.iterdir()}, "the fast path the server runs is the one trained"
