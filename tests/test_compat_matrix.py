"""The plugin across SDK generations: each leg is its own virtualenv with the plugin installed.

Every leg runs tests/compat/plugin_leg.py in both modes (in-process through the SDK's default
httpx/httpx2 client, and live): sync, async and streaming chat, a retry, a Responses stream and
embeddings. A check may be skipped only for a reason the leg itself names (SDK or mock lacks it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.compat.plugin_venvs import LEGS, plugin_python, sdk_version

LEG = Path(__file__).parent / "compat" / "plugin_leg.py"
ALWAYS = ("test_sync_chat", "test_async_chat", "test_streaming_chat", "test_retry_after_a_queued_429")
ALLOWED_SKIPS = ("SDK: openai", "mock: POST /v1/")


def run_leg(python: Path, workdir: Path) -> dict[str, tuple[str, str]]:
    """Run the leg in ``workdir`` with ``python``; return {test id: (outcome, skip reason)}."""
    shutil.copy(LEG, workdir / "test_leg.py")
    (workdir / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYTEST_", "PYTHONPATH"))}
    result = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=leg.xml",
                             "test_leg.py"], cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    outcomes = {}
    for case in ET.parse(workdir / "leg.xml").getroot().iter("testcase"):
        skipped = case.find("skipped")
        failed = case.find("failure") is not None or case.find("error") is not None
        outcome = "skipped" if skipped is not None else "failed" if failed else "passed"
        outcomes[case.get("name", "")] = (outcome, skipped.get("message", "") if skipped is not None else "")
    return outcomes


@pytest.mark.slow
@pytest.mark.parametrize("leg", list(LEGS))
def test_sdk_generation_in_both_modes(leg: str, tmp_path: Path) -> None:
    python = plugin_python(LEGS[leg])
    version = sdk_version(python)
    outcomes = run_leg(python, tmp_path)
    for mode in ("inprocess", "live"):
        for name in ALWAYS:
            assert outcomes.get(f"{name}[{mode}]", ("missing",))[0] == "passed", (version, name, mode, outcomes)
    skipped = {name: reason for name, (outcome, reason) in outcomes.items() if outcome == "skipped"}
    assert all(reason.startswith(ALLOWED_SKIPS) for reason in skipped.values()), skipped
    assert len(outcomes) == 12, outcomes
    if version.startswith(("2.", "3.")):  # these SDKs have the Responses API: only the mock may lack it
        assert not any(r.startswith("SDK:") for r in skipped.values()), skipped
    print(f"openai {version}: {len(outcomes) - len(skipped)} passed, skipped: {skipped or 'none'}")
