"""Which compiled speed-ups this process runs with, and the one start-up log line when one is missing.

orjson, jsonschema-rs, httptools and uvloop are base dependencies wherever they publish wheels
(see pyproject.toml); elsewhere mockapi falls back to the standard library / pure-Python packages,
which answer the same but slower. mockapi's own hot path is compiled with mypyc when it is installed
from a wheel built with a C compiler (mockapi/core/compiled.py); a source checkout runs it as Python by design,
and says nothing of it. Saying so once, at start-up, explains a slow mock.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from pathlib import Path

from .compiled import is_compiled

HOT_PATH = "mockapi.core.engine"  # compiled with the rest of the hot path, or not at all (setup.py)
# module -> (what it speeds up, the fallback used without it)
SPEEDUPS = {
    "orjson": ("JSON encoding and parsing", "the json module"),
    "jsonschema_rs": ("request validation", "the pure-Python jsonschema validator"),
    "httptools": ("HTTP parsing (mockapi serve)", "h11"),
    "uvloop": ("the event loop (mockapi serve)", "asyncio's own loop"),
    HOT_PATH: ("the engine's hot path", "its Python source"),
}
_logged = False


def missing() -> list[str]:
    """The speed-up modules that are not importable here (uvloop never is on Windows)."""
    return [name for name in SPEEDUPS if not _importable(name) and not (name == "uvloop" and sys.platform == "win32")]


def _importable(name: str) -> bool:
    if name == HOT_PATH:  # always importable: the question is whether it was compiled, where a wheel would have
        return is_compiled(HOT_PATH) or _in_checkout()
    if name in ("httptools", "uvloop"):  # only `mockapi serve` loads these: finding them is enough
        return importlib.util.find_spec(name) is not None
    try:  # the engine imports these anyway; importing proves the wheel works here
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def log_fallbacks_once() -> None:
    """Log, once per process, each speed-up that is missing and the slower fallback used instead."""
    global _logged
    if _logged:
        return
    _logged = True
    absent = missing()
    if absent:
        what = "; ".join(f"{SPEEDUPS[n][0]} uses {SPEEDUPS[n][1]} ({_why(n)})" for n in absent)
        logging.getLogger("mockapi").warning("mockapi runs without its compiled speed-ups: %s", what)


def _why(name: str) -> str:
    if name == HOT_PATH:
        return "there was no C compiler when mockapi was installed"
    return f"{name} has no wheel here"


def _in_checkout() -> bool:
    """Whether mockapi runs from a source checkout (an editable install): its source runs there by design."""
    return (Path(__file__).resolve().parents[2] / "setup.py").is_file()
