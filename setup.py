"""Build hooks: the built-in data, and the hot path compiled with mypyc (everything else is in pyproject.toml).

- ``build_py`` copies the top-level ``contracts/`` and ``fixtures/`` into the wheel as ``mockapi/data/``. The
  repository keeps one copy of the built-in data at the top level (no symlinks); an installed wheel carries its
  own copy, and :mod:`mockapi.core.paths` finds either.
- A wheel compiles the modules named in ``mockapi/core/compiled.py`` with mypyc (a build requirement), next to
  their sources: the same code, ~19% fewer instructions per chat. Where that cannot be done (no C compiler,
  not CPython, ``MOCKAPI_PURE_PYTHON=1``) the wheel is pure Python, answers the same bytes, and
  ``mockapi serve`` says so at start-up. An editable install is never compiled, so that edits take effect.
"""

import os
import platform
import runpy
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUILT_IN_DATA = ("contracts", "fixtures")


class BuildWithData(build_py):
    """``build_py`` that also copies the built-in data directories into the built package."""

    def run(self) -> None:
        super().run()
        for name in BUILT_IN_DATA:
            target = Path(self.build_lib) / "mockapi" / "data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target)


class OptionalBuildExt(build_ext):
    """``build_ext`` whose failure (no C compiler, say) leaves a pure-Python wheel instead of failing the install."""

    failed = False

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler failure: the sources stay, so mockapi still runs
            self._skip(exc)
        if self.failed:  # all or nothing: a module's shim without the shared library it loads would not import
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)

    def build_extension(self, ext) -> None:  # noqa: ANN001 - a setuptools Extension
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._skip(exc)

    def _skip(self, exc: Exception) -> None:
        self.failed = True
        sys.stderr.write(f"mockapi: the hot path stays pure Python (compiling it failed: {exc})\n")


def compiled_hot_path() -> list:
    """mypyc's extension modules for the hot path, or none where it is not built (see the module docstring)."""
    building = {"bdist_wheel", "build", "build_ext", "install"} & set(sys.argv)  # not metadata, not an editable install
    if not building or os.environ.get("MOCKAPI_PURE_PYTHON") or platform.python_implementation() != "CPython":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.stderr.write("mockapi: mypyc is not installed here; the hot path stays pure Python\n")
        return []
    modules = runpy.run_path(str(ROOT / "mockapi" / "core" / "compiled.py"))["HOT_MODULES"]
    try:
        return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *modules], opt_level="3", group_name="mockapi_hot_path")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - e.g. a Python mypyc does not support yet, or its own bug
        sys.stderr.write(f"mockapi: the hot path stays pure Python (mypyc failed: {exc})\n")
        return []


setup(cmdclass={"build_py": BuildWithData, "build_ext": OptionalBuildExt}, ext_modules=compiled_hot_path())
