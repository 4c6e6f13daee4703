"""langchain-openai's own integration tests, unchanged, against the in-process mock (``pytest --mockapi``).

langchain-tests' standard suite is what every LangChain chat-model integration runs against its provider, and
langchain-openai runs it, with its own ChatOpenAI tests, against the real API (Chat Completions and the
Responses API). Here they run from langchain-openai's source distribution, in a venv of their own with mockapi
installed, offline: every request to api.openai.com is served in-process. Left out: the tests that fetch an
image or a PDF from the web (the mock refuses unmocked hosts) and those that need tiktoken's encodings, which
tiktoken downloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.compat.plugin_venvs import PLUGIN_DEPS
from tests.compat.venvs import ROOT, pip_install, sdk_python

VERSION = "1.8.1"
SUITE_DEPS = (f"langchain-openai=={VERSION}", "langchain-tests==1.1.9", "langchain==1.5.2", "pytest==9.2.0",
              "pytest-asyncio==1.5.0", "vcrpy==8.5.0", "pytest-recording==0.15.0", "syrupy==5.5.3", "pytest-socket==0.8.1")
FILES = ["tests/integration_tests/chat_models/test_base_standard.py", "tests/integration_tests/chat_models/test_responses_standard.py",
         "tests/integration_tests/chat_models/test_base.py", "tests/integration_tests/chat_models/test_responses_api.py"]
NETWORK = ["image_inputs", "pdf_inputs", "anthropic_inputs", "image_tool_message", "pdf_tool_message",
           "image_token_counting", "audio_input"]  # a file from the web, or tiktoken's encodings


def suite_source() -> Path:
    """langchain-openai's sdist, unpacked six levels below a README.md: its cache test reads ``parents[6] / README.md``."""
    home = ROOT / ".venv-langchain-src"
    unpacked = home / "a" / "b" / f"langchain_openai-{VERSION}"
    if (unpacked / "tests").is_dir():
        return unpacked
    unpacked.parent.mkdir(parents=True, exist_ok=True)
    got = subprocess.run([sys.executable, "-m", "pip", "download", "-q", f"langchain-openai=={VERSION}", "--no-binary", ":all:",
                          "--no-deps", "-d", str(home)], capture_output=True, text=True, timeout=300, check=False)
    archive = home / f"langchain_openai-{VERSION}.tar.gz"
    if got.returncode != 0 or not archive.exists():
        if os.environ.get("CI"):
            pytest.fail(f"could not download langchain-openai {VERSION}: {got.stderr[-1500:]}")
        pytest.skip(f"could not download langchain-openai {VERSION}: {got.stderr[-300:]}")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked.parent, filter="data")
    # Where the monorepo's README would be: a long document the cache test sends twice (ours stands in).
    shutil.copy(ROOT / "README.md", unpacked.parents[2] / "README.md")
    return unpacked


def suite_python() -> Path:
    """The suite's venv: its test dependencies, then mockapi (editable, with its runtime dependencies)."""
    python = sdk_python(*SUITE_DEPS, name=".venv-langchain-suite")
    stamp = python.parent.parent / ".mockapi-ok"
    wanted = " ".join(PLUGIN_DEPS) + (ROOT / "pyproject.toml").read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        for args in ([*PLUGIN_DEPS], ["--no-deps", "-e", str(ROOT)]):
            pip_install(python, args, "the langchain suite")
        stamp.write_text(wanted)
    return python


@pytest.mark.slow
def test_langchain_openais_integration_tests_pass_against_the_in_process_mock():
    source = suite_source()
    env = {**os.environ, "OPENAI_API_KEY": "sk-langchain-suite-0123456789"}
    for name in ("OPENAI_BASE_URL", "OPENAI_API_BASE", "PYTHONPATH"):
        env.pop(name, None)  # ChatOpenAI talks to api.openai.com, as it does in langchain's own CI
    done = subprocess.run(
        [str(suite_python()), "-m", "pytest", "-q", "-rf", "-o", "addopts=", "-p", "no:cacheprovider", "--asyncio-mode=auto",
         # One event loop for the session: ChatOpenAI keeps its async HTTP client between tests, as langchain's CI runs them.
         "-o", "asyncio_default_test_loop_scope=session", "-o", "asyncio_default_fixture_loop_scope=session",
         "--mockapi", "-o", "mockapi_set_env=false", "-k", " and ".join(f"not {n}" for n in NETWORK), *FILES],
        cwd=source, env=env, capture_output=True, text=True, timeout=1200, check=False)
    tail = done.stdout[-6000:]
    assert done.returncode == 0, tail + done.stderr[-2000:]
    assert " passed" in tail and "failed" not in tail
