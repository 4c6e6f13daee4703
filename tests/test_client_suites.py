"""Client libraries' own integration tests, unchanged, against the in-process mock (``pytest --mockapi``).

- langchain-openai: its ChatOpenAI tests and langchain-tests' standard suite (what every LangChain chat-model
  integration runs against its provider), on Chat Completions and the Responses API.
- instructor: its OpenAI tests (``tests/llm/test_openai``): structured extraction through tools and Responses.

Each runs from the library's source distribution, in a venv of its own with mockapi installed, offline: every
request to api.openai.com is served in-process. Each test says what it leaves out and why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.compat.plugin_venvs import PLUGIN_DEPS
from tests.compat.venvs import ROOT, pip_install, sdk_python, unpacked_sdist

VERSION = "1.8.1"
SOURCES = ROOT / ".venv-suites-src"  # where the sdists are unpacked
SUITE_DEPS = (f"langchain-openai=={VERSION}", "langchain-tests==1.1.9", "langchain==1.5.2", "pytest==9.2.0",
              "pytest-asyncio==1.5.0", "vcrpy==8.5.0", "pytest-recording==0.15.0", "syrupy==5.5.3", "pytest-socket==0.8.1")
FILES = ["tests/integration_tests/chat_models/test_base_standard.py", "tests/integration_tests/chat_models/test_responses_standard.py",
         "tests/integration_tests/chat_models/test_base.py", "tests/integration_tests/chat_models/test_responses_api.py"]
INSTRUCTOR = "1.17.0"
INSTRUCTOR_DEPS = (f"instructor=={INSTRUCTOR}", "pytest==8.4.2", "pytest-asyncio==1.2.0", "python-dotenv==1.2.4")
NETWORK = ["image_inputs", "pdf_inputs", "anthropic_inputs", "image_tool_message", "pdf_tool_message",
           "image_token_counting", "audio_input"]  # a file from the web, or tiktoken's encodings


def langchain_source() -> Path:
    """langchain-openai's sdist, six levels below a README.md: its cache test reads ``parents[6] / README.md``."""
    unpacked = unpacked_sdist("langchain-openai", VERSION, SOURCES, depth=2)
    # Where the monorepo's README would be: a long document the cache test sends twice (ours stands in).
    shutil.copy(ROOT / "README.md", unpacked.parents[2] / "README.md")
    return unpacked


def suite_python(name: str, deps: tuple[str, ...]) -> Path:
    """A suite's venv: its test dependencies, then mockapi (editable, with its runtime dependencies)."""
    python = sdk_python(*deps, name=name)
    stamp = python.parent.parent / ".mockapi-ok"
    wanted = " ".join(PLUGIN_DEPS) + (ROOT / "pyproject.toml").read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        for args in ([*PLUGIN_DEPS], ["--no-deps", "-e", str(ROOT)]):
            pip_install(python, args, name)
        stamp.write_text(wanted)
    return python


def run_offline(python: Path, source: Path, args: list[str]) -> None:
    """Run pytest in ``source`` with every test given the in-process mock; fail with the suite's summary."""
    env = {**os.environ, "OPENAI_API_KEY": "sk-client-suite-0123456789"}
    for name in ("OPENAI_BASE_URL", "OPENAI_API_BASE", "PYTHONPATH"):
        env.pop(name, None)  # the clients talk to api.openai.com, as they do in their own CI
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-rf", "-o", "addopts=", "-p", "no:cacheprovider", "--asyncio-mode=auto",
         # One event loop for the session: the clients keep their async HTTP clients between tests.
         "-o", "asyncio_default_test_loop_scope=session", "-o", "asyncio_default_fixture_loop_scope=session",
         "--mockapi", "-o", "mockapi_set_env=false", *args],
        cwd=source, env=env, capture_output=True, text=True, timeout=1200, check=False)
    tail = done.stdout[-6000:]
    assert done.returncode == 0, tail + done.stderr[-2000:]
    assert " passed" in tail and "failed" not in tail


@pytest.mark.slow
def test_langchain_openais_integration_tests_pass_against_the_in_process_mock():
    """Left out: the tests that fetch an image or a PDF from the web (the mock refuses unmocked hosts) and those that
    need tiktoken's encodings, which tiktoken downloads."""
    python = suite_python(".venv-langchain-suite", SUITE_DEPS)
    run_offline(python, langchain_source(), ["-k", " and ".join(f"not {n}" for n in NETWORK), *FILES])


@pytest.mark.slow
def test_instructors_openai_tests_pass_against_the_in_process_mock():
    """Left out: test_multimodal (it fetches images and audio from the web), and the two validator tests that need
    the model to follow a validation error's correction on the retry ("use the uppercase form of the name")."""
    python = suite_python(".venv-instructor-suite", INSTRUCTOR_DEPS)
    run_offline(python, unpacked_sdist("instructor", INSTRUCTOR, SOURCES), [
        "tests/llm/test_openai", "--ignore=tests/llm/test_openai/test_multimodal.py",
        "--deselect=tests/llm/test_openai/test_patch.py::test_runmodel_validator",
        "--deselect=tests/llm/test_openai/test_patch.py::test_runmodel_async_validator"])
