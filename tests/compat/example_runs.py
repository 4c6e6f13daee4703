"""Running other projects' example scripts against the mock: off the network, to their end."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

COMPAT = Path(__file__).parent
BLOCKED_MARK = "mockapi-offline-blocked:"
# Imported at the start of every example's interpreter (Python imports ``sitecustomize`` from its path):
# the offline guard, and at exit the connections it refused.
_SITECUSTOMIZE = f"""import atexit, sys
sys.path.insert(0, {str(COMPAT)!r})
import offline
atexit.register(lambda: offline.BLOCKED and sys.stderr.write({BLOCKED_MARK!r} + " " + repr(offline.BLOCKED) + "\\n"))
"""


def offline_site(directory: Path) -> Path:
    """A directory whose ``sitecustomize`` keeps an interpreter off the network (put it on PYTHONPATH)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    return directory


def run_example(python: str | Path, module: str, cwd: Path, site: Path, base_url: str, key: str,
                extra_env: dict[str, str] | None = None, typed: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m module`` in ``cwd`` with the SDK pointed at the mock and nothing else reachable (``typed``: its stdin)."""
    env = {**os.environ, "OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": key, "PYTHONWARNINGS": "ignore",
           "PYTHONPATH": str(site), **(extra_env or {})}
    stdin = {"input": typed} if typed is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([str(python), "-m", module], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          check=False, **stdin)


def failure(done: subprocess.CompletedProcess[str]) -> str | None:
    """Why a run did not end well (a non-zero exit, a traceback, a refused connection), or None."""
    if done.returncode != 0 or "Traceback" in done.stderr or BLOCKED_MARK in done.stderr:
        return f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return None
