"""The openai SDK's own examples (``examples/`` of its source distribution), unchanged, against the live mock.

They are how the SDK's authors use the API, so each must run to its end at the default level (``faithful``)
with only ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` pointing it at the mock. Left out: those that need a
microphone or speakers (``text_to_speech``, ``speech_to_text``, ``realtime/`` but its text chat, ``live/``), a browser or a
desktop (``browser*``, ``computer-desktop``), another provider or credentials (``azure*``, ``bedrock*``,
``mtls*``, ``x509*``) or arguments (``uploads``). ``module_client`` hard-codes its base URL and key: it runs
with those two lines pointed at the mock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mockapi.doors.live import LiveServer
from tests.compat.example_runs import failure, offline_site, run_example
from tests.test_official_sdk_suite import sdk_source

EXAMPLES = ["demo", "async_demo", "streaming", "parsing", "parsing_stream", "parsing_tools", "parsing_tools_stream",
            "responses_input_tokens", "image_stream", "httpx2_client", "picture", "audio", "video",
            "responses.background", "responses.background_async", "responses.background_streaming",
            "responses.background_streaming_async", "responses.streaming", "responses.streaming_tools",
            "responses.structured_outputs", "responses.structured_outputs_tools", "responses.multi_agent_streaming",
            "responses.websocket", "responses.multi_agent_websocket", "module_client", "realtime.realtime"]
TYPED = {"realtime.realtime": "Say hello\nq\n"}  # what an example reads from its terminal
KEY = "sk-examples-0123456789"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the SDK's examples (some write files beside themselves)."""
    copy = tmp_path_factory.mktemp("sdk") / "examples"
    shutil.copytree(sdk_source() / "examples", copy)
    module_client = copy / "module_client.py"
    text = module_client.read_text()
    for placeholder in ('openai.api_key = "..."', 'openai.base_url = "https://..."'):
        assert placeholder in text, f"examples/module_client.py no longer says {placeholder}"
    module_client.write_text(text.replace('openai.api_key = "..."', "import os\nopenai.api_key = os.environ['OPENAI_API_KEY']")
                             .replace('openai.base_url = "https://..."', "openai.base_url = os.environ['OPENAI_BASE_URL'] + '/'"))
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_the_sdks_example_runs_to_its_end(example: str, examples: Path, default_server: LiveServer, tmp_path: Path) -> None:
    done = run_example(sys.executable, f"examples.{example}", examples.parent, offline_site(tmp_path / "site"),
                       default_server.base_url, KEY, typed=TYPED.get(example))
    assert failure(done) is None, failure(done)
    assert done.stdout.strip(), done.stderr[-3000:]


@pytest.mark.slow
def test_the_sdk_readmes_realtime_example_runs_to_its_end(tmp_path: Path, default_server: LiveServer) -> None:
    readme = (sdk_source() / "README.md").read_text()
    start = readme.index("```py", readme.index("Basic text based example")) + len("```py")
    script = tmp_path / "realtime_example.py"
    script.write_text(readme[start:readme.index("```", start)])
    env = {**os.environ, "OPENAI_BASE_URL": default_server.base_url, "OPENAI_API_KEY": KEY}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.strip()  # the answer's text deltas
