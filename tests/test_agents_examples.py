"""The openai-agents SDK's own examples (``examples/`` of its source distribution), unchanged, against the live mock.

They run as the project's ``examples/run_examples.py`` runs them in auto mode (``EXAMPLES_INTERACTIVE_MODE=auto``:
deterministic inputs, approvals given), with tracing off and no network but the mock's loopback, at the default
level (``faithful``); the "custom provider" examples take the mock as their provider. Left out: examples that need
another provider or ``rich`` (not in the client's venv), a service (Redis, Dapr, MongoDB, an MCP
server, a sandbox, a browser, a microphone), a real model's knowledge (``web_search_filters`` expects real
documentation URLs), or that run two event loops over one client (``previous_response_id``), which fails
whatever the server.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest

from mockapi.doors.live import LiveServer
from tests.compat.example_runs import failure, offline_site, run_example
from tests.compat.venvs import ROOT, sdk_python

EXAMPLES = [
    "basic.hello_world", "basic.hello_world_gpt_5", "basic.tools", "basic.stream_text", "basic.stream_items",
    "basic.stream_function_call_args", "basic.dynamic_system_prompt", "basic.non_strict_output_type",
    "basic.usage_tracking", "basic.lifecycle_example", "basic.agent_lifecycle_example", "basic.tool_guardrails",
    "basic.retry", "basic.image_tool_output", "basic.local_image", "basic.remote_image", "basic.remote_pdf",
    "basic.local_file", "basic.prompt_template",
    "agent_patterns.agents_as_tools", "agent_patterns.agents_as_tools_conditional", "agent_patterns.agents_as_tools_streaming",
    "agent_patterns.agents_as_tools_structured", "agent_patterns.deterministic", "agent_patterns.forcing_tool_use",
    "agent_patterns.human_in_the_loop", "agent_patterns.input_guardrails", "agent_patterns.output_guardrails",
    "agent_patterns.parallelization", "agent_patterns.routing", "agent_patterns.streaming_guardrails",
    "agent_patterns.llm_as_a_judge", "handoffs.message_filter", "handoffs.message_filter_streaming",
    "memory.openai_session_example", "memory.sqlite_session_example", "memory.compaction_session_example",
    "memory.compaction_session_stateless_example", "reasoning_content.main", "reasoning_content.runner_example",
    "tools.code_interpreter", "tools.file_search", "tools.image_generator", "tools.web_search", "tools.shell",
    "tools.apply_patch", "tools.tool_search", "tools.programmatic_tool_calling",
    "customer_service.main", "decisions.classify", "decisions.model_router", "decisions.tool_risk_gate",
    "model_providers.custom_example_agent", "model_providers.custom_example_global",  # a "custom provider": the mock
]
KEY = "sk-agents-examples-0123456789"


@pytest.fixture(scope="module")
def agents_python() -> Path:
    """A venv with the openai-agents SDK (built once, as tests/test_real_clients.py builds it)."""
    return sdk_python("openai-agents")


@pytest.fixture(scope="module")
def agents_source(agents_python: Path) -> Path:
    """The source distribution of the installed openai-agents version, unpacked once."""
    version = subprocess.run([str(agents_python), "-c", "import importlib.metadata as m; print(m.version('openai-agents'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    home = ROOT / ".venv-sdk-src"
    unpacked = home / f"openai_agents-{version}"
    if not (unpacked / "examples").is_dir():
        home.mkdir(exist_ok=True)
        subprocess.run([str(agents_python), "-m", "pip", "download", "-q", f"openai-agents=={version}", "--no-binary", ":all:",
                        "--no-deps", "-d", str(home)], capture_output=True, text=True, timeout=300, check=True)
        with tarfile.open(home / f"openai_agents-{version}.tar.gz") as tar:
            tar.extractall(home, filter="data")
    return unpacked


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_the_agents_sdks_example_runs_to_its_end(example: str, agents_python: Path, agents_source: Path, default_server: LiveServer,
                                                  tmp_path: Path) -> None:
    done = run_example(agents_python, f"examples.{example}", agents_source, offline_site(tmp_path / "site"), default_server.base_url, KEY,
                       {"OPENAI_AGENTS_DISABLE_TRACING": "1", "EXAMPLES_INTERACTIVE_MODE": "auto",
                        "EXAMPLE_BASE_URL": default_server.base_url, "EXAMPLE_API_KEY": KEY, "EXAMPLE_MODEL_NAME": "gpt-4o-mini"})
    assert failure(done) is None, failure(done)
