"""The openai SDK's own generated API test suite, run against the mock at validation level ``schema``.

Those tests call every operation with placeholder values and validate each answer strictly against the
SDK's types, as they do against a spec mock. Here they run (from the SDK's source distribution, the same
version the contract was generated from) for every resource of the SDK.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import openai
import pytest

from mockapi.assembly import build_engine
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.store import MemoryStore
from mockapi.doors.live import LiveServer

ROOT = Path(__file__).resolve().parents[1]
# Every resource: the mock serves every operation of the SDK (generic resources where none has its own).
RESOURCES = ["."]


def sdk_source() -> Path:
    """The SDK's source distribution, unpacked once under .venv-sdk-src (skip when the index can't be reached)."""
    version = openai.__version__
    home = ROOT / ".venv-sdk-src"
    unpacked = home / f"openai-{version}"
    if (unpacked / "tests" / "api_resources").is_dir():
        return unpacked
    home.mkdir(exist_ok=True)
    got = subprocess.run([sys.executable, "-m", "pip", "download", "-q", f"openai=={version}", "--no-binary", ":all:",
                          "--no-deps", "-d", str(home)], capture_output=True, text=True, timeout=300)
    archive = home / f"openai-{version}.tar.gz"
    if got.returncode != 0 or not archive.exists():
        if os.environ.get("CI"):
            pytest.fail(f"could not download the openai {version} sources: {got.stderr[-1500:]}")
        pytest.skip(f"could not download the openai {version} sources: {got.stderr[-300:]}")
    with tarfile.open(archive) as tar:
        tar.extractall(home, filter="data")
    return unpacked


@pytest.mark.slow
def test_the_sdks_generated_suite_passes_at_schema_level():
    source = sdk_source()
    engine = build_engine(Settings(validation="schema", key_format="any"), store=MemoryStore(), clock=Clock(frozen_at=1_750_000_000.0))
    with LiveServer(engine) as server:
        env = {**os.environ, "TEST_API_BASE_URL": server.base_url.removesuffix("/v1")}
        env.pop("OPENAI_BASE_URL", None)
        paths = [str(source / "tests" / "api_resources" / p) for p in RESOURCES]
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-o", "addopts=", "-p", "no:mockapi", "-p", "no:cacheprovider",
                               "-k", "not aiohttp", *paths], cwd=source, env=env, capture_output=True, text=True, timeout=1800)
    tail = done.stdout[-4000:]
    assert done.returncode == 0, per_resource(done.stdout) + tail + done.stderr[-2000:]
    assert " passed" in tail and "failed" not in tail


def per_resource(output: str) -> str:
    """Failed tests counted by resource (test file), from pytest's ``-rf`` summary."""
    counts: dict[str, int] = {}
    for line in output.splitlines():
        if line.startswith("FAILED "):
            resource = line.split()[1].split("::")[0]
            counts[resource] = counts.get(resource, 0) + 1
    return "".join(f"{n:5d} failed in {r}\n" for r, n in sorted(counts.items(), key=lambda kv: -kv[1]))
