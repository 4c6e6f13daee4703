"""SDK virtualenvs (from venvs.py) with the mockapi plugin installed editable, for the compatibility matrix."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.compat.venvs import ROOT, pip_install, sdk_python


def _runtime_dependencies() -> tuple[str, ...]:
    """pyproject's own dependency list (never a copy that drifts from it)."""
    import tomllib

    return tuple(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


# The engine's runtime needs (pyproject's dependencies) plus pytest; mockapi itself goes in with --no-deps,
# so the leg's own openai version is the one under test.
PLUGIN_DEPS = (*_runtime_dependencies(), "pytest>=8.0")
LEGS = {
    "openai 1.59.9": "openai==1.59.9",
    "openai 2.x": "openai>=2,<3",
    "openai 3.x": "openai>=3,<4",
}


def plugin_python(requirement: str) -> Path:
    """The python of ``requirement``'s venv with the plugin (``pip install --no-deps -e``) and its deps."""
    python = sdk_python(requirement)
    stamp = python.parent.parent / ".plugin-ok"
    wanted = hashlib.sha256(" ".join(PLUGIN_DEPS).encode() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    for args in ([*PLUGIN_DEPS], ["--no-deps", "-e", str(ROOT)]):
        pip_install(python, args, requirement)
    stamp.write_text(wanted)
    return python


def sdk_version(python: Path) -> str:
    """The openai version a venv holds."""
    out = subprocess.run([str(python), "-c", "import openai; print(openai.__version__)"], capture_output=True, text=True)
    return out.stdout.strip()
