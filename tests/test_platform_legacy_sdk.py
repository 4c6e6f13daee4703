"""Files, vector stores (``client.beta.vector_stores``) and Assistants v2 through openai==1.59.9, and the current SDK."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.compat.venvs import run_script, sdk_python

SCRIPT = Path(__file__).parent / "compat" / "platform_sdk.py"


@pytest.mark.slow
def test_openai_1_59_9_platform_against_live_server(_live_server):
    python = sdk_python("openai==1.59.9")
    result = run_script(python, SCRIPT, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "openai 1.59.9 platform ok" in result.stdout


@pytest.mark.slow
def test_current_sdk_platform_against_live_server(_live_server):
    result = run_script(Path(sys.executable), SCRIPT, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "platform ok" in result.stdout
