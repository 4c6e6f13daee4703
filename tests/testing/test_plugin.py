"""The pytest plugin seen from outside: generated test modules run through ``pytester``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# pytester's inline runs drop the modules they were first to import: a server stack imported for the first time
# inside one would be imported again afterwards, its httptools errors then new classes that an older parser does
# not raise. Imported here, before any inline run, they stay.
import httptools  # noqa: F401
import pytest
import uvicorn.protocols.http.httptools_impl  # noqa: F401

import mockapi.doors.app  # noqa: F401

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")
HEAVY = ["starlette", "uvicorn", "openai", "httpx", "httpx2", "mockapi.core.engine", "mockapi.testing.session"]

USES_INPROCESS = """
    import asyncio
    import httpx
    import openai

    HELLO = [{"role": "user", "content": "Hello"}]

    def test_default_sdk_client_is_served_in_process(mockapi):
        reply = openai.OpenAI().chat.completions.create(model="gpt-4o", messages=HELLO)
        assert reply.choices[0].message.content
        mockapi.calls.assert_called("/chat/completions", times=1)
        assert mockapi.calls.last.json["messages"] == HELLO
        assert mockapi.mode == "inprocess"

    def test_async_and_streaming(mockapi):
        async def run():
            stream = await mockapi.async_client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True)
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        plain = mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO)
        assert asyncio.run(run()) == plain.choices[0].message.content

    def test_plain_httpx_is_served_too(mockapi):
        response = httpx.get("https://api.openai.com/v1/models", headers={"Authorization": "Bearer sk-test-0123456789"})
        assert response.status_code == 200 and response.json()["object"] == "list"

    def test_queued_content_then_a_429_that_the_sdk_retries(mockapi):
        mockapi.queue("Canned answer.")
        reply = mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO)
        assert reply.choices[0].message.content == "Canned answer."
        mockapi.queue(status=429)
        mockapi.client.chat.completions.create(model="gpt-4o", messages=HELLO)
        assert [c.status for c in mockapi.calls] == [200, 429, 200]
        assert mockapi.calls.retry_count == 1

    def test_state_starts_empty(mockapi):
        assert len(mockapi.calls) == 0 and not mockapi.engine.overrides.queued
"""

USES_LIVE = """
    import json
    import os
    import urllib.request

    import openai

    HELLO = [{"role": "user", "content": "Hello"}]

    def test_env_points_the_sdk_at_the_live_server(mockapi_server):
        assert os.environ["OPENAI_BASE_URL"] == mockapi_server.base_url
        assert mockapi_server.base_url.startswith("http://127.0.0.1:")
        mockapi_server.queue("From the live server.")
        reply = openai.OpenAI().chat.completions.create(model="gpt-4o", messages=HELLO)
        assert reply.choices[0].message.content == "From the live server."
        mockapi_server.queue(content="never used")

    def test_plain_urllib_reaches_it_and_state_was_reset(mockapi_server):
        assert len(mockapi_server.calls) == 0 and not mockapi_server.engine.overrides.queued
        request = urllib.request.Request(mockapi_server.base_url + "/models",
                                         headers={"Authorization": "Bearer " + mockapi_server.api_key})
        with urllib.request.urlopen(request) as response:
            assert json.load(response)["object"] == "list"
        mockapi_server.calls.assert_called("/models", times=1, method="GET")

    def test_streaming_through_the_sdk(mockapi_server):
        chunks = list(mockapi_server.client.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
        assert chunks[-1].choices[0].finish_reason == "stop"
        assert mockapi_server.calls.last.stream
"""


def test_importing_the_plugin_imports_no_server_engine_or_sdk() -> None:
    code = ("import json, sys, mockapi.pytest_plugin; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_entry_point_names_the_plugin_module() -> None:
    from importlib.metadata import entry_points

    found = [e.value for e in entry_points(group="pytest11") if e.name == "mockapi"]
    assert found == ["mockapi.pytest_plugin"], "run `pip install -e .` so the pytest11 entry point exists"


def test_a_generated_module_using_the_in_process_fixture_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(textwrap.dedent(USES_INPROCESS))
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=5)


def test_a_generated_module_using_the_live_fixture_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(textwrap.dedent(USES_LIVE))
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=3)


# An existing suite that calls the API with no fixture of ours: the real API's host, the user's own key.
UNCHANGED_SUITE = """
    import os
    import openai

    def test_calls_the_api_as_it_always_did():
        client = openai.OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "sk-from-the-users-env-0123456789"))
        reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}])
        assert reply.choices[0].message.content and reply.usage.prompt_tokens > 0

    async def test_async_too():
        reply = await openai.AsyncOpenAI(api_key="sk-async-0123456789").embeddings.create(model="text-embedding-3-small", input="hi")
        assert len(reply.data[0].embedding) == 1536

    def test_asks_for_the_live_server_and_keeps_it(mockapi_server):
        assert mockapi_server.mode == "live"
"""


@pytest.mark.parametrize("how", [("--mockapi",), ("-o", "mockapi_autouse=true")], ids=["flag", "ini"])
def test_mockapi_runs_an_unchanged_suite_offline(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                 how: tuple[str, ...]) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there: a call that escapes fails fast
    pytester.makepyfile(textwrap.dedent(UNCHANGED_SUITE))
    result = pytester.runpytest(*QUIET, "-o", "asyncio_mode=auto", *how)
    result.assert_outcomes(passed=3)
    without = pytester.runpytest(*QUIET, "-o", "asyncio_mode=auto", "-k", "always")
    without.assert_outcomes(failed=1)
    without.stdout.fnmatch_lines(["*Connection refused*"])

def test_a_wrong_expectation_fails_with_a_readable_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        def test_wrong(mockapi):
            mockapi.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
            mockapi.calls.assert_called("/embeddings", times=1)
    """)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*mockapi: expected /embeddings to be called once, it was called 0 times.*",
        "*1. POST /v1/chat/completions -> 200*",
    ])


def test_no_mockapi_disables_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        def test_uses_it(mockapi):
            pass
    """)
    result = pytester.runpytest(*QUIET, "-p", "no:mockapi")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'mockapi' not found*"])
    assert pytester.runpytest(*QUIET).ret == 0


def test_an_unmocked_host_fails_loudly_even_when_the_code_swallows_the_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import httpx
        import pytest
        from mockapi.intercept import UnmatchedRequest

        def test_raises(mockapi):
            with pytest.raises(UnmatchedRequest, match="mockapi blocked GET https://example.invalid/x"):
                httpx.get("https://example.invalid/x")

        def test_swallowed(mockapi):
            try:
                httpx.get("https://example.invalid/y")
            except Exception:
                pass
    """)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(["*mockapi refused requests to unmocked hosts:*", "*GET https://example.invalid/y*"])


def test_a_websocket_to_an_unmocked_host_fails_loudly_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        import websockets.sync.client
        from mockapi.intercept import UnmatchedRequest

        def test_raises(mockapi):
            with pytest.raises(UnmatchedRequest, match="mockapi blocked GET wss://example.invalid/socket"):
                websockets.sync.client.connect("wss://example.invalid/socket")  # looked up when called, as the SDK does
    """)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=1, errors=1)  # refused before any network, and reported at teardown
    result.stdout.fnmatch_lines(["*mockapi refused requests to unmocked hosts:*", "*GET wss://example.invalid/socket*"])


def test_passthrough_lets_a_host_reach_the_network(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmockapi_passthrough =\n    localhost\n")
    pytester.makepyfile("""
        import httpx
        import pytest

        def test_goes_to_the_real_transport(mockapi):
            with pytest.raises(httpx.ConnectError):  # port 9 on localhost: refused by the OS, not by mockapi
                httpx.get("http://localhost:9/")
    """)
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


def test_marker_and_ini_options_configure_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmockapi_seed = 7\nmockapi_base_urls =\n    https://llm.internal/proxy/v1\n")
    pytester.makefile(".yaml", canned="- match: {message: weather}\n  reply: {content: Always sunny.}\n")
    pytester.makepyfile("""
        import openai
        import pytest
        from mockapi.traffic.latency import PROFILES

        ASK = [{"role": "user", "content": "Tell me a story"}]

        def answer(client, messages=ASK):
            return client.chat.completions.create(model="gpt-4o", messages=messages).choices[0].message.content

        def test_ini_seed_and_extra_base_url(mockapi):
            assert mockapi.seed == 7
            proxy = openai.OpenAI(base_url="https://llm.internal/proxy/v1")
            assert answer(proxy) == answer(mockapi.client)
            assert [(c.headers["host"], c.path) for c in mockapi.calls] == [
                ("llm.internal", "/v1/chat/completions"), ("api.openai.com", "/v1/chat/completions")]

        @pytest.mark.mockapi(seed=1)
        def test_seed_changes_the_answer(mockapi):
            first = answer(mockapi.client)
            mockapi.seed = 2
            assert answer(mockapi.client) != first

        @pytest.mark.mockapi(faults=["503 should-retry=false"])
        def test_faults(mockapi):
            with pytest.raises(openai.InternalServerError):
                answer(mockapi.client)

        @pytest.mark.mockapi(fixtures="canned.yaml")
        def test_fixtures(mockapi_server):
            assert answer(mockapi_server.client, [{"role": "user", "content": "weather?"}]) == "Always sunny."

        @pytest.mark.mockapi(tier="tier-1", latency="realistic")
        def test_tier_and_latency(mockapi):
            raw = mockapi.client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=ASK,
                                                                            extra_headers={"x-mockapi-latency": "off"})
            assert raw.headers["x-ratelimit-limit-requests"] == "500"
            assert mockapi.engine.traffic.latency.default == PROFILES["realistic"]
    """)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=5)


def test_each_xdist_worker_gets_its_own_server(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    pytester.makepyfile("""
        import os
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_one_call_each(mockapi_server, n, tmp_path_factory):
            mockapi_server.client.models.list()
            mockapi_server.calls.assert_called("/models", times=1)
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            out = tmp_path_factory.getbasetemp().parent.parent / f"seen-{worker}-{n}"
            out.write_text(mockapi_server.base_url)
    """)
    result = pytester.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=6)
    seen: dict[str, set[str]] = {}
    for path in pytester.path.parent.rglob("seen-*"):
        seen.setdefault(path.name.split("-")[1], set()).add(path.read_text())
    assert len(seen) == 2, seen
    urls = [next(iter(s)) for s in seen.values()]
    assert all(len(s) == 1 for s in seen.values()) and urls[0] != urls[1], seen
