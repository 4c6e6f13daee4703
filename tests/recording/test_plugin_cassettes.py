"""The pytest plugin: a test recorded once (``--mockapi-record``) passes offline afterwards."""

from __future__ import annotations

import textwrap

import pytest
from recording_helpers import files_text, start_upstream, upstream_requests

pytest_plugins = ["pytester"]
QUIET = ("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")
UPSTREAM_KEY = "sk-upstream-secret-424242"

MODULE = """
    import openai
    import pytest

    HI = [{"role": "user", "content": "Say hi"}]

    @pytest.mark.mockapi(replay=True)
    def test_chat(mockapi):
        reply = openai.OpenAI().chat.completions.create(model="gpt-4o-mini", messages=HI)
        assert reply.choices[0].message.content
        print("CONTENT", reply.id, reply.choices[0].message.content)

    @pytest.mark.mockapi(replay=True)
    def test_stream(mockapi):
        stream = openai.OpenAI().chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True)
        print("STREAM", "".join(c.choices[0].delta.content or "" for c in stream if c.choices))
"""


def outputs(result: pytest.RunResult) -> list[str]:
    return sorted(line for line in result.outlines if line.startswith(("CONTENT", "STREAM")))


def test_record_once_then_pass_offline(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_app=textwrap.dedent(MODULE))
    monkeypatch.setenv("MOCKAPI_UPSTREAM_API_KEY", UPSTREAM_KEY)
    upstream = start_upstream()
    try:
        recorded = pytester.runpytest(*QUIET, "-s", "--mockapi-record=all", f"--mockapi-upstream={upstream.base_url}")
        recorded.assert_outcomes(passed=2)
        assert upstream_requests(upstream) == 2
    finally:
        upstream.stop()
    cassette = pytester.path / "cassettes" / "test_app"  # one directory per test module
    assert len(list(cassette.glob("*.json"))) == 2
    assert UPSTREAM_KEY not in files_text(cassette)
    offline = pytester.runpytest(*QUIET, "-s")  # default --mockapi-record=none: replay only, upstream gone
    offline.assert_outcomes(passed=2)
    assert outputs(offline) == outputs(recorded)


def test_a_replay_miss_fails_the_test_naming_the_closest_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=textwrap.dedent(MODULE))
    result = pytester.runpytest(*QUIET, "-k", "test_chat")  # nothing recorded yet, and no upstream needed
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*No recorded fixture matches this createChatCompletion request*"])


def test_the_ini_option_opts_every_test_in(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmockapi_cassettes = recorded\n")
    pytester.makepyfile(test_other=textwrap.dedent("""
        import openai

        def test_plain(mockapi):
            openai.OpenAI().embeddings.create(model="text-embedding-3-small", input="hi")
    """))
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*recorded/test_other*"])
