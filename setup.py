"""Build hook: copy the top-level ``contracts/`` and ``fixtures/`` into the wheel as ``mockapi/data/``.

The repository keeps one copy of the built-in data at the top level (no symlinks); an installed
wheel carries its own copy, and :mod:`mockapi.core.paths` finds either. Everything else is in
pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
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


setup(cmdclass={"build_py": BuildWithData})
