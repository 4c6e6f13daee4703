"""Virtualenvs with other openai SDK generations, built on demand and reused between runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sdk_python(requirement: str, *extra: str, name: str | None = None) -> Path:
    """The python of a venv holding ``requirement`` (e.g. ``openai==1.59.9``) and ``extra``; skip if it can't be installed.

    The venv is ``.venv-<requirement>`` unless ``name`` says otherwise; it is rebuilt when what it should hold changes.
    """
    name = name or ".venv-" + requirement.replace("==", "-").replace("<", "lt").replace(">", "gt").replace(",", "_").replace("*", "x")
    venv = ROOT / name
    python = venv / "bin" / "python"
    stamp = venv / ".ok"
    wanted = " ".join([requirement, *extra])
    if not stamp.exists() or stamp.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip_install(python, [requirement, *extra], requirement)
        stamp.write_text(wanted)
    return python


def pip_install(python: Path, args: list[str], what: str) -> None:
    """``pip install args`` into a venv; in CI a failure fails, elsewhere (no package index?) it skips."""
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", *args], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"could not install {args} for {what}: {result.stderr[-2000:]}")
        pytest.skip(f"could not install {args} for {what} (no package index?): {result.stderr[-300:]}")


def run_script(python: Path, script: Path, base_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a client script with OPENAI_BASE_URL/OPENAI_API_KEY pointing at the mock."""
    env = {**os.environ, "OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "sk-compat-0123456789"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(python), str(script), *args], env=env, capture_output=True, text=True, timeout=timeout)


def unpacked_sdist(package: str, version: str, home: Path, depth: int = 0) -> Path:
    """``package``'s source distribution, unpacked ``depth`` directories below ``home`` (downloaded once).

    Skips when the package index can't be reached (fails in CI).
    """
    name = f"{package.replace('-', '_')}-{version}"
    unpacked = home.joinpath(*(["d"] * depth), name)
    if (unpacked / "tests").is_dir():
        return unpacked
    unpacked.parent.mkdir(parents=True, exist_ok=True)
    got = subprocess.run([sys.executable, "-m", "pip", "download", "-q", f"{package}=={version}", "--no-binary", ":all:",
                          "--no-deps", "-d", str(home)], capture_output=True, text=True, timeout=300, check=False)
    archive = home / f"{name}.tar.gz"
    if got.returncode != 0 or not archive.exists():
        if os.environ.get("CI"):
            pytest.fail(f"could not download the {package} {version} sources: {got.stderr[-1500:]}")
        pytest.skip(f"could not download the {package} {version} sources: {got.stderr[-300:]}")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked.parent, filter="data")
    return unpacked
