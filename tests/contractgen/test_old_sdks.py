"""Answers of the generic resources parse under the oldest supported SDK with strict response validation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.compat.venvs import run_script, sdk_python

SCRIPT = Path(__file__).resolve().parents[1] / "compat" / "generic_sdk.py"


@pytest.mark.slow
@pytest.mark.parametrize("sdk", ["openai==1.59.9", "current"])
def test_generic_answers_parse_strictly(_live_server, sdk):
    python = Path(sys.executable) if sdk == "current" else sdk_python(sdk)
    result = run_script(python, SCRIPT, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generic ok" in result.stdout
