"""The same smoke set through openai==1.59.9 (the reference's generation), in its own virtualenv."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compat.venvs import run_script, sdk_python

SMOKE = Path(__file__).parent / "compat" / "smoke_sdk.py"


@pytest.mark.slow
def test_openai_1_59_9_smoke_against_live_server(_live_server):
    python = sdk_python("openai==1.59.9")
    result = run_script(python, SMOKE, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "openai 1.59.9 all ok" in result.stdout


@pytest.mark.slow
def test_current_sdk_smoke_against_live_server(_live_server):
    import sys

    result = run_script(Path(sys.executable), SMOKE, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
