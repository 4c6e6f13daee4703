"""The openai SDK's own generated API test suite, run against the mock at validation level ``schema``.

Those tests call every operation with placeholder values and validate each answer strictly against the
SDK's types, as they do against a spec mock. Here they run from the SDK's source distribution for every
resource: the installed SDK's suite (the version the contract was generated from) with that SDK, and older
generations' suites (1.59.9, the last 1.x and 2.x, the first 3.x) each with its own SDK, in its own venv,
against today's contract.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import openai
import pytest

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.store import MemoryStore
from mockapi.doors.live import LiveServer
from tests.compat.venvs import sdk_python, unpacked_sdist

ROOT = Path(__file__).resolve().parents[1]
# Every resource: the mock serves every operation of the SDK (generic resources where none has its own).
RESOURCES = ["."]
OLDEST_3X = "3.0.0"  # the first 3.x release on PyPI
# What the old suites' tests/api_resources import besides the SDK (their pyproject's dev-dependencies, at the
# versions 3.0.0's requirements-dev.lock pins; the 1.x and 2.x suites import respx too).
OLD_SUITE_DEPS = ("pytest==8.4.2", "pytest-asyncio==1.2.0", "rich==14.2.0")
HTTPX_SUITE_DEPS = (*OLD_SUITE_DEPS, "respx==0.22.0")
# Older generations' suites, run with their own SDK against today's contract: the reference's generation (1.59.9),
# the last 1.x and the last 2.x (httpx), and the first 3.x (httpx2). Left out, with why:
OLD_SUITES: dict[str, tuple[tuple[str, ...], list[str]]] = {
    # 1.59.9 typed turn_detection.type as any string and its test sends "type"; today's types (and the real API)
    # take server_vad or semantic_vad only, and level schema checks today's types.
    "1.59.9": (HTTPX_SUITE_DEPS, [f"tests/api_resources/beta/realtime/test_sessions.py::{cls}::test_method_create_with_all_params"
                                  for cls in ("TestSessions", "TestAsyncSessions")]),
    # 1.109.1 required session.client_secret in POST /realtime/client_secrets's answer; the GA answer has none
    # (its value is the top-level `value`), and openai-python 2.x types the session without it.
    "1.109.1": (HTTPX_SUITE_DEPS, ["tests/api_resources/realtime/test_client_secrets.py"]),
    "2.54.0": (HTTPX_SUITE_DEPS, []),
    OLDEST_3X: (OLD_SUITE_DEPS, []),
}


def sdk_source(version: str | None = None) -> Path:
    """An SDK version's source distribution (the installed one by default), unpacked once under .venv-sdk-src."""
    return unpacked_sdist("openai", version or openai.__version__, ROOT / ".venv-sdk-src")


def run_suite(python: Path, source: Path, deselect: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """Run ``source``'s tests/api_resources with ``python`` against a fresh live mock at level ``schema``."""
    engine = build_engine(Settings(validation="schema", key_format="any"), store=MemoryStore(), clock=Clock(frozen_at=1_750_000_000.0))
    with LiveServer(engine) as server:
        env = {**os.environ, "TEST_API_BASE_URL": server.base_url.removesuffix("/v1")}
        env.pop("OPENAI_BASE_URL", None)
        if python != Path(sys.executable):
            env.pop("PYTHONPATH", None)  # the old SDK's venv imports its own openai, and its suite its own tests package
        paths = [str(source / "tests" / "api_resources" / p) for p in RESOURCES]
        return subprocess.run([str(python), "-m", "pytest", "-q", "-rf", "-o", "addopts=", "-p", "no:mockapi", "-p", "no:cacheprovider",
                               "-k", "not aiohttp", *(f"--deselect={d}" for d in deselect), *paths],
                              cwd=source, env=env, capture_output=True, text=True, timeout=1800, check=False)


def check(done: subprocess.CompletedProcess[str]) -> None:
    """Fail with the failures counted per resource when the suite did not pass."""
    tail = done.stdout[-4000:]
    assert done.returncode == 0, per_resource(done.stdout) + tail + done.stderr[-2000:]
    assert " passed" in tail and "failed" not in tail


@pytest.mark.slow
def test_the_sdks_generated_suite_passes_at_schema_level():
    check(run_suite(Path(sys.executable), sdk_source()))


@pytest.mark.slow
@pytest.mark.parametrize("version", sorted(OLD_SUITES, key=lambda v: tuple(map(int, v.split(".")))))
def test_an_older_generations_suite_passes_with_its_own_sdk_against_todays_contract(version):
    deps, deselect = OLD_SUITES[version]
    python = sdk_python(f"openai=={version}", *deps, name=f".venv-sdk-suite-{version}")
    check(run_suite(python, sdk_source(version), deselect))


def per_resource(output: str) -> str:
    """Failed tests counted by resource (test file), from pytest's ``-rf`` summary."""
    counts: dict[str, int] = {}
    for line in output.splitlines():
        if line.startswith("FAILED "):
            resource = line.split()[1].split("::")[0]
            counts[resource] = counts.get(resource, 0) + 1
    return "".join(f"{n:5d} failed in {r}\n" for r, n in sorted(counts.items(), key=lambda kv: -kv[1]))
