"""Client scripts through openai==1.59.9 (the reference's generation, in its own virtualenv) and the current SDK.

Each script exercises one area (chat smoke set, media, platform) against the live server and ends by
printing ``<what> ok``; the 1.59.9 run prints the version first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.compat.venvs import run_script, sdk_python

COMPAT = Path(__file__).parent / "compat"
SCRIPTS = {
    "chat": (COMPAT / "smoke_sdk.py", "all ok"),
    "media": (COMPAT / "media_sdk.py", "media ok"),  # embeddings, audio, images
    "platform": (COMPAT / "platform_sdk.py", "platform ok"),  # files, beta.vector_stores, Assistants v2
}


@pytest.mark.slow
@pytest.mark.parametrize("area", sorted(SCRIPTS))
@pytest.mark.parametrize("sdk", ["openai==1.59.9", "current"])
def test_sdk_script_against_live_server(_live_server, area, sdk):
    script, done = SCRIPTS[area]
    python = Path(sys.executable) if sdk == "current" else sdk_python(sdk)
    result = run_script(python, script, _live_server.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = done if sdk == "current" else f"openai {sdk.split('==')[1]} {done}"
    assert expected in result.stdout
