"""Answers of the generic resources and made-up answers parse under every SDK generation the project supports
(1.59.9, the latest 2.x, the first 3.x and the installed one) with strict response validation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.compat.venvs import run_script, sdk_python

SCRIPT = Path(__file__).resolve().parents[1] / "compat" / "generic_sdk.py"


@pytest.mark.slow
@pytest.mark.parametrize("sdk", ["openai==1.59.9", "openai>=2,<3", "openai==3.0.0", "current"])
def test_generic_answers_parse_strictly(_live_server, sdk):
    python = Path(sys.executable) if sdk == "current" else sdk_python(sdk)
    result = run_script(python, SCRIPT, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generic ok" in result.stdout
