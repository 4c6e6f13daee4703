"""The README's three copy-paste examples, run as a user would run them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def example(name: str) -> str:
    """The code block that follows ``<!-- example: name -->`` in the README."""
    match = re.search(rf"<!-- example: {name} -->\n```\w*\n(.*?)```", README.read_text(), re.S)
    assert match, f"README has no example called {name}"
    return match.group(1)


pytest_plugins = ["pytester"]


def test_plugin_example_passes(pytester):
    pytester.makepyfile(test_app=example("plugin"))
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_docker_example_client_line_answers(_live_server):
    lines = example("docker").strip().splitlines()
    assert lines[0].startswith("docker build") and "-p 8000:8000" in lines[0]
    command = shlex.split(lines[-1])
    assert command[:2] == ["python", "-c"]
    env = {**os.environ, "OPENAI_BASE_URL": _live_server.base_url, "OPENAI_API_KEY": "sk-test"}
    done = subprocess.run([sys.executable, "-c", command[2]], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) > 3


def test_verify_example_passes_against_the_mock(_live_server, tmp_path):
    command = shlex.split(example("verify").strip())
    assert command[:2] == ["mockapi", "verify"]
    command[command.index("--base-url") + 1] = _live_server.base_url
    command[command.index("--junit") + 1] = str(tmp_path / "report.xml")
    done = subprocess.run([sys.executable, "-m", "mockapi", *command[1:], "--max-examples", "3"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert (tmp_path / "report.xml").read_text().count("<testcase") > 5
