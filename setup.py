"""Build hooks: the built-in data, and the hot path compiled with mypyc (everything else is in pyproject.toml).

- ``build_py`` copies the top-level ``contracts/`` and ``fixtures/`` into the wheel as ``mockapi/data/``. The
  repository keeps one copy of the built-in data at the top level (no symlinks); an installed wheel carries its
  own copy, and :mod:`mockapi.core.paths` finds either.
- A wheel compiles the modules named in ``mockapi/core/compiled.py`` with mypyc (a build requirement), next to
  their sources: the same code, ~19% fewer instructions per chat. Where that cannot be done (no C compiler,
  not CPython, ``MOCKAPI_PURE_PYTHON=1``) the wheel is pure Python, answers the same bytes, and
  ``mockapi serve`` says so at start-up. An editable install is never compiled, so that edits take effect.
- With GCC the compile is profile-guided: built once instrumented, trained on a mix of requests
  (:mod:`mockapi.training`), then built again from that profile, which packs the code requests run together
  (about 9% less server CPU per Responses call). ``MOCKAPI_PGO=0``, another compiler, or any failure along the way give
  the plain build.
"""

import os
import platform
import runpy
import shutil
import subprocess
import sys
import sysconfig
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
    instrumenting = False  # the first of a profile-guided build's two builds

    def run(self) -> None:
        try:
            if self.extensions and _profile_guided():
                self._run_profile_guided()
            else:
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

    def _run_profile_guided(self) -> None:
        """Build instrumented, train, build again from the profile; the plain build when training fails."""
        for stale in Path(self.build_temp).rglob("*.gcda"):  # an earlier build's counts would not match this one
            stale.unlink()
        chosen_compiler = self.compiler  # run() replaces the name with the compiler object it made
        plain = [(ext, list(ext.extra_compile_args or []), list(ext.extra_link_args or [])) for ext in self.extensions]

        def add_flags(compile_args: list, link_args: list) -> None:
            for ext, compile_base, link_base in plain:
                ext.extra_compile_args, ext.extra_link_args = [*compile_base, *compile_args], [*link_base, *link_args]

        add_flags(PROFILE_GENERATE, PROFILE_GENERATE)
        self.instrumenting = True
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - e.g. no libgcov to link: the plain build follows
            self._skip(exc)
        self.instrumenting = False
        trained = not self.failed and self._train()
        self.failed = False
        add_flags(PROFILE_USE if trained else [], [])
        self.compiler, self.force = chosen_compiler, True  # every object again: the instrumented ones must not ship
        super().run()

    def _train(self) -> bool:
        """Run the training mix against the instrumented build (where it was just built); whether it ran."""
        where = ROOT if self.inplace else Path(self.build_lib).resolve()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(where), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        try:
            done = subprocess.run([sys.executable, "-m", "mockapi.training"], cwd=where, env=env,
                                  capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            sys.stderr.write(f"mockapi: training the profile-guided build failed ({exc}); building without a profile\n")
            return False
        if done.returncode != 0:
            sys.stderr.write(f"mockapi: training the profile-guided build failed; building without a profile\n{done.stderr[-2000:]}\n")
            return False
        return True

    def _skip(self, exc: Exception) -> None:
        self.failed = True
        if self.instrumenting:
            sys.stderr.write(f"mockapi: the instrumented build failed ({exc}); building without a profile\n")
            return
        sys.stderr.write(f"mockapi: the hot path stays pure Python (compiling it failed: {exc})\n")


# GCC's profile-guided optimisation (clang needs llvm-profdata to merge its profiles, so it builds without).
PROFILE_GENERATE = ["-fprofile-generate", "-fprofile-update=single"]
PROFILE_USE = ["-fprofile-use", "-fprofile-partial-training", "-fprofile-correction", "-Wno-missing-profile"]


def _profile_guided() -> bool:
    """Whether to build the hot path profile-guided: GCC is the C compiler and ``MOCKAPI_PGO`` is not ``0``."""
    if os.environ.get("MOCKAPI_PGO", "1") == "0":
        return False
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    try:
        version = subprocess.run([*compiler, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Free Software Foundation" in version


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
