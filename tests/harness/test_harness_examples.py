"""The reference's own client patterns (examples/contract/): the harness catches each defect and passes each fix."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mockapi.harness import CheckFailure, checks, replay, verify_client
from mockapi.harness import scenarios as s
from mockapi.harness.clients import PHASES
from mockapi.harness.scenarios import ErrorStatus, Scenario, StreamShape

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contract"
STABLE = settings(max_examples=30, deadline=None, database=None, derandomize=True, print_blob=False, phases=PHASES,
                  suppress_health_check=list(HealthCheck))


def load(name: str) -> ModuleType:
    """An example module by file name."""
    spec = importlib.util.spec_from_file_location(f"contract_examples_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


retry, stream_usage, sse_reader, redaction = (load(n) for n in ("retry", "stream_usage", "sse_reader", "redaction"))


def failed_checks(fn, **options) -> list[str]:
    """The checks a client fails on the shrunk counterexample (empty when it holds)."""
    try:
        verify_client(fn, hypothesis=STABLE, **options)
    except CheckFailure as failure:
        return failure.checks
    return []


# -- §15.4 with_retry -----------------------------------------------------------------------
RATE_LIMITED = s.scenarios(behaviour=s.rate_limits(max_length=4), content=s.contents(tools=False),
                           shape=st.just(StreamShape()))


def test_reference_with_retry_ignores_retry_after():
    assert "retries_honour_retry_after" in failed_checks(
        retry.reference_client, scenarios=RATE_LIMITED, checks=[checks.retries_honour_retry_after])


def test_reference_with_retry_ignores_retry_after_in_one_replayed_scenario():
    waits = ErrorStatus(429, code="rate_limit_exceeded", retry_after_ms=2500)
    with pytest.raises(CheckFailure) as info:
        replay(retry.reference_client, Scenario(behaviours=(waits,) * 4), checks=[checks.retries_honour_retry_after])
    text = str(info.value)
    assert "request 4 came 1.000s after request 3" in text and "asked for 2.500s (retry-after-ms)" in text
    assert "replay(your_client_function, Scenario(behaviours=(ErrorStatus(status=429" in text


def test_reference_with_retry_multiplies_the_sdk_retries():
    outages = s.scenarios(behaviour=s.behaviours(s.error_statuses((500, 503), retry_headers=False), max_length=6),
                          content=s.contents(tools=False), shape=st.just(StreamShape()))
    assert "retries_bounded" in failed_checks(retry.reference_client, scenarios=outages, max_attempts=4,
                                              checks=[checks.retries_bounded])


def test_fixed_with_retry_passes_every_check():
    assert failed_checks(retry.fixed_client, scenarios=s.retries(), max_attempts=4) == []
    assert failed_checks(retry.fixed_client, scenarios=s.default(), max_attempts=4) == []


# -- §5.1 / §18.5 choices[0] on the usage chunk ------------------------------------------------
@pytest.mark.parametrize("name", ["reference_collect", "reference_stream_with_metrics"])
def test_reference_streaming_loops_crash_on_the_usage_chunk(name):
    with pytest.raises(CheckFailure) as info:
        verify_client(getattr(stream_usage, name), scenarios=s.streaming(), hypothesis=STABLE)
    assert info.value.checks == ["completes_on_valid_answer"]
    assert "IndexError" in str(info.value) and "usage_chunk=True" in str(info.value)


@pytest.mark.parametrize("name", ["fixed_collect", "fixed_stream_with_metrics"])
def test_fixed_streaming_loops_pass(name):
    fn = getattr(stream_usage, name)
    if name == "fixed_stream_with_metrics":  # it returns a dict: compare its text with what was streamed
        def text_only(client):
            return fn(client)["content"]
        fn = text_only
    assert failed_checks(fn, scenarios=s.streaming()) == []
    assert failed_checks(fn, scenarios=s.default()) == []


# -- §13.7 whole lines per read -----------------------------------------------------------------
def test_reference_sse_reader_breaks_on_split_reads():
    found = failed_checks(sse_reader.reference_reader, scenarios=s.streaming(),
                          checks=[checks.completes_on_valid_answer, checks.stream_reassembled])
    assert found and set(found) <= {"completes_on_valid_answer", "stream_reassembled"}


def test_reference_sse_reader_garbles_a_character_split_across_reads():
    scenario = Scenario(content=s.Content(text="你"), shape=StreamShape(pieces=(1,)))
    with pytest.raises(CheckFailure):
        replay(sse_reader.reference_reader, scenario, checks=[checks.stream_reassembled, checks.completes_on_valid_answer])


def test_fixed_sse_reader_passes():
    assert failed_checks(sse_reader.fixed_reader, scenarios=s.streaming()) == []
    assert failed_checks(sse_reader.fixed_reader, scenarios=s.default()) == []


# -- §17.6 redaction ----------------------------------------------------------------------------
def test_reference_redaction_leaks_project_keys():
    with pytest.raises(CheckFailure) as info:
        verify_client(redaction.reference_logging_client, scenarios=s.streaming(), hypothesis=STABLE)
    assert info.value.checks == ["secrets_not_logged"]
    assert "sk-proj-" in str(info.value) or "sk-svcacct-" in str(info.value)


def test_fixed_redaction_passes():
    assert failed_checks(redaction.fixed_logging_client, scenarios=s.streaming()) == []
