"""Each client check fails on a purpose-built broken client and holds for a correct one."""

from __future__ import annotations

import json
import threading
import time

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import mockapi.contract
from mockapi.harness import CheckFailure, checks, replay, verify, verify_client
from mockapi.harness import scenarios as s
from mockapi.harness.clients import PHASES
from mockapi.harness.scenarios import (
    Content,
    CutStream,
    ErrorStatus,
    Reset,
    Scenario,
    SpentWindow,
    Stall,
    StreamError,
    StreamShape,
    ToolCall,
)

FAST = settings(max_examples=20, deadline=None, database=None, derandomize=True, print_blob=False, phases=PHASES,
                suppress_health_check=list(HealthCheck))
MESSAGES = [{"role": "user", "content": "hi"}]


# -- clients ------------------------------------------------------------------------------------
def good_client(client):
    """A correct streaming client: guards empty choices, accumulates tool calls by index."""
    text, calls = "", {}
    for chunk in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True):
        for choice in chunk.choices:
            if choice.index != 0:
                continue
            text += choice.delta.content or ""
            for frag in choice.delta.tool_calls or []:
                call = calls.setdefault(frag.index, {"name": "", "arguments": ""})
                call["name"] = (frag.function and frag.function.name) or call["name"]
                call["arguments"] += (frag.function and frag.function.arguments) or ""
    return {"content": text, "tool_calls": [calls[i] for i in sorted(calls)]}


def plain_client(client):
    """A correct non-streaming client."""
    return client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)


def retrying(client, *, delays, retry_on=(openai.APIStatusError, openai.APIConnectionError), honour=False):
    """A hand-made retry loop (SDK retries off) sleeping ``delays[k]`` before attempt k+2."""
    plain = client.with_options(max_retries=0)
    for attempt in range(len(delays) + 1):
        try:
            return plain.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content
        except retry_on as exc:
            if attempt == len(delays):
                raise
            wait = delays[attempt]
            if honour and isinstance(exc, openai.APIStatusError) and exc.response.headers.get("retry-after-ms"):
                wait = float(exc.response.headers["retry-after-ms"]) / 1000
            time.sleep(wait)


def expect(check, fn, scenario, **options) -> CheckFailure:
    """The failure ``check`` raises for ``fn`` on ``scenario``."""
    with pytest.raises(CheckFailure) as info:
        replay(fn, scenario, checks=[check], **options)
    assert info.value.checks == [check.__name__]
    return info.value


def holds(check, fn, scenario, **options) -> None:
    replay(fn, scenario, checks=[check], **options)


# -- requests -----------------------------------------------------------------------------------
def test_requests_conform():
    def out_of_range(client):
        return client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, temperature=5)

    def loose_strict_tool(client):
        tool = {"type": "function", "function": {"name": "f", "strict": True, "parameters": {
            "type": "object", "properties": {"a": {"type": "string"}}}}}
        return client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, tools=[tool])

    def unpaired_tool_message(client):
        messages = [*MESSAGES, {"role": "tool", "tool_call_id": "call_1", "content": "42"}]
        return client.chat.completions.create(model="gpt-4o-mini", messages=messages)

    assert "temperature" in expect(checks.requests_conform, out_of_range, Scenario()).message
    assert "tools[0].function.parameters" in expect(checks.requests_conform, loose_strict_tool, Scenario()).message
    assert "messages.[1].role" in expect(checks.requests_conform, unpaired_tool_message, Scenario()).message  # the real param spelling
    # Faults skip the server's own validation; the check still judges the request itself.
    expect(checks.requests_conform, out_of_range, Scenario(behaviours=(ErrorStatus(503),)))
    holds(checks.requests_conform, plain_client, Scenario())


def test_request_headers():
    def wrong_scheme(http_client, api_key):
        return http_client.post("/chat/completions", json={"model": "gpt-4o-mini", "messages": MESSAGES},
                                headers={"Authorization": f"Token {api_key}"}).json()

    def json_as_text(http_client, api_key):
        return http_client.post("/chat/completions", content=json.dumps({"model": "gpt-4o-mini", "messages": MESSAGES}),
                                headers={"Authorization": f"Bearer {api_key}", "Content-Type": "text/plain"}).json()

    assert "Authorization: Bearer" in expect(checks.request_headers, wrong_scheme, Scenario()).message
    assert "text/plain" in expect(checks.request_headers, json_as_text, Scenario()).message
    holds(checks.request_headers, plain_client, Scenario())


# -- retries ------------------------------------------------------------------------------------
def test_retries_only_when_allowed():
    def retries_everything(client):
        return retrying(client, delays=[0.5, 1.0])

    failure = expect(checks.retries_only_when_allowed, retries_everything, Scenario(behaviours=(ErrorStatus(400),)))
    assert "got HTTP 400" in failure.message
    told_not_to = Scenario(behaviours=(ErrorStatus(503, should_retry=False),))
    assert "x-should-retry: false" in expect(checks.retries_only_when_allowed, retries_everything, told_not_to).message
    quota = Scenario(behaviours=(ErrorStatus(429, code="insufficient_quota"),))
    expect(checks.retries_only_when_allowed, retries_everything, quota)
    for scenario in (Scenario(behaviours=(ErrorStatus(400),)), told_not_to, quota,
                     Scenario(behaviours=(ErrorStatus(409), ErrorStatus(400, should_retry=True)))):
        holds(checks.retries_only_when_allowed, plain_client, scenario)


def test_retries_bounded():
    def stubborn(client):
        return retrying(client, delays=[0.5 * 2 ** k for k in range(8)])

    outage = Scenario(behaviours=(ErrorStatus(503),) * 5)
    assert "sent 4 times" in expect(checks.retries_bounded, stubborn, Scenario(behaviours=(ErrorStatus(503),) * 3)).message
    expect(checks.retries_bounded, stubborn, outage)
    holds(checks.retries_bounded, plain_client, outage)  # the SDK: 3 attempts, then the error surfaces
    holds(checks.retries_bounded, stubborn, outage, max_attempts=9)


def test_retries_honour_retry_after():
    def fixed_wait(client):
        return retrying(client, delays=[0.1, 0.2])

    def honours_ms(client):
        return retrying(client, delays=[0.1, 0.2], honour=True)

    asked = Scenario(behaviours=(ErrorStatus(429, retry_after_ms=2000),))
    assert "asked for 2.000s (retry-after-ms)" in expect(checks.retries_honour_retry_after, fixed_wait, asked).message
    seconds_only = Scenario(behaviours=(ErrorStatus(503, retry_after=3),))
    assert "(retry-after)" in expect(checks.retries_honour_retry_after, honours_ms, seconds_only).message
    for scenario in (asked, seconds_only, Scenario(behaviours=(ErrorStatus(429, retry_after_ms=20, retry_after=1),))):
        holds(checks.retries_honour_retry_after, plain_client, scenario)  # the SDK: retry-after-ms, then retry-after
    holds(checks.retries_honour_retry_after, honours_ms, asked)


def test_a_spent_rate_limit_window_is_the_real_limiter():
    def fixed_wait(client):
        return retrying(client, delays=[1.0, 2.0])

    spent = Scenario(behaviours=(SpentWindow(rpm=2),))
    failure = expect(checks.retries_honour_retry_after, fixed_wait, spent)
    assert "(retry-after-ms)" in failure.message
    run = replay(plain_client, spent)  # the SDK waits out the window, as the limiter asked
    assert [e.status for e in run.exchanges] == [429, 200]
    waited = run.exchanges[1].time - run.exchanges[0].time
    assert waited == pytest.approx(float(run.exchanges[0].response_headers["retry-after-ms"]) / 1000)
    assert run.exchanges[0].response_headers["x-ratelimit-remaining-requests"] == "0"


def test_retries_back_off():
    def at_once(client):
        return retrying(client, delays=[0, 0])

    def constant(client):
        return retrying(client, delays=[0.5, 0.5])

    outage = Scenario(behaviours=(ErrorStatus(503), Reset(), ErrorStatus(502)))
    assert "at once" in expect(checks.retries_back_off, at_once, outage).message
    assert "did not grow" in expect(checks.retries_back_off, constant, outage, max_attempts=5).message
    holds(checks.retries_back_off, plain_client, outage)


# -- results ------------------------------------------------------------------------------------
def test_completes_on_valid_answer():
    def first_choice(client):
        return "".join(c.choices[0].delta.content or ""
                       for c in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True))

    usage = Scenario(shape=StreamShape(usage_chunk=True))
    assert "IndexError" in expect(checks.completes_on_valid_answer, first_choice, usage).message
    holds(checks.completes_on_valid_answer, good_client, usage)


def test_stream_reassembled_text_split_inside_characters():
    def per_piece_decoding(http_client, api_key):
        text = ""
        with http_client.stream("POST", "/chat/completions", json={"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True},
                                headers={"Authorization": f"Bearer {api_key}"}) as response:
            raw = b"".join(response.iter_bytes())
        for line in raw.decode("utf-8").split("\n"):
            if line.startswith("data: {"):
                for choice in json.loads(line[6:])["choices"]:
                    text += choice["delta"].get("content") or ""
        return text.strip()  # the defect: whitespace the server sent is lost

    scenario = Scenario(content=Content(text=" é 你🙂 "), shape=StreamShape(pieces=(1, 2, 3)))
    assert "the client returned text" in expect(checks.stream_reassembled, per_piece_decoding, scenario).message
    holds(checks.stream_reassembled, good_client, scenario)


def test_stream_reassembled_parallel_tool_call_arguments():
    def last_fragment_only(client):
        calls = {}
        for chunk in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True):
            for frag in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                call = calls.setdefault(frag.index, {"name": "", "arguments": ""})
                call["name"] = frag.function.name or call["name"]
                call["arguments"] = frag.function.arguments or call["arguments"]  # the defect: `=` for `+=`
        return {"tool_calls": [calls[i] for i in sorted(calls)]}

    tools = (ToolCall("get_weather", '{"city":"Zürich 你好"}'), ToolCall("add", '{"id":"🙂"}'))
    scenario = Scenario(content=Content(text=None, tool_calls=tools), shape=StreamShape(pieces=(5,), empty_deltas=1))
    assert "tool calls" in expect(checks.stream_reassembled, last_fragment_only, scenario).message
    holds(checks.stream_reassembled, good_client, scenario)
    run = replay(good_client, scenario, checks=[checks.stream_reassembled])
    assert [c["arguments"] for c in run.outcome.value["tool_calls"]] == [t.arguments for t in tools]


@pytest.mark.parametrize("fault", [CutStream(after=2), StreamError(after=2)])
def test_errors_surface_no_half_stream_returned_as_complete(fault):
    def keeps_partial(client):
        text = ""
        try:
            for chunk in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True):
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
        except openai.APIError:
            pass  # the defect: a half answer is returned as if it were whole
        return text

    scenario = Scenario(behaviours=(fault,), content=Content(text="one two three four five six"))
    assert "should have raised" in expect(checks.errors_surface, keeps_partial, scenario).message
    holds(checks.errors_surface, good_client, scenario)


def test_no_swallowed_401():
    def swallows(client):
        try:
            return plain_client(client)
        except openai.AuthenticationError:
            return None

    def hides(client):
        try:
            return plain_client(client)
        except openai.APIError:
            raise RuntimeError("something went wrong") from None

    denied = Scenario(behaviours=(ErrorStatus(401),))
    assert "instead of raising" in expect(checks.no_swallowed_401, swallows, denied).message
    assert "hiding" in expect(checks.no_swallowed_401, hides, denied).message
    holds(checks.no_swallowed_401, plain_client, denied)
    holds(checks.no_swallowed_401, plain_client, Scenario(behaviours=(ErrorStatus(401, should_retry=True),)))  # cured

    def raises_for_status(http_client, api_key):
        response = http_client.post("/chat/completions", json={"model": "gpt-4o-mini", "messages": MESSAGES},
                                    headers={"Authorization": f"Bearer {api_key}"})
        response.raise_for_status()
        return response.json()

    holds(checks.no_swallowed_401, raises_for_status, denied)


def test_no_hang():
    release = threading.Event()

    def waits_forever(client):
        release.wait()  # blocks on a real event, not a sleep the harness can skip

    try:
        expect(checks.no_hang, waits_forever, Scenario(), hang_timeout=0.3)
    finally:
        release.set()
    holds(checks.no_hang, plain_client, Scenario(behaviours=(Stall(), Stall())))  # in-process stalls time out at once


def test_secrets_not_logged():
    def logs_key(client, api_key, log_capture):
        log_capture.write(f"using key {api_key}\n")
        return plain_client(client)

    def logs_masked(client, api_key, log_capture):
        log_capture.write(f"using key {api_key[:8]}…{api_key[-4:]}\n")
        return plain_client(client)

    assert "<secret>" in expect(checks.secrets_not_logged, logs_key, Scenario()).message
    holds(checks.secrets_not_logged, logs_masked, Scenario())


# -- the whole harness ---------------------------------------------------------------------------
def test_correct_clients_pass_every_check_on_every_scenario():
    verify_client(good_client, hypothesis=FAST)
    verify_client(plain_client, hypothesis=FAST)


async def _async_good(async_client):
    text = ""
    async for chunk in await async_client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True):
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
    return text


def test_async_clients_and_their_sleeps_are_virtual_too():
    run = replay(_async_good, Scenario(behaviours=(ErrorStatus(429, retry_after_ms=4000),), content=Content(text="ok 你")))
    assert run.outcome.value == "ok 你"
    assert run.exchanges[1].time - run.exchanges[0].time == pytest.approx(4.0)
    verify_client(_async_good, scenarios=s.default(), hypothesis=FAST)


def test_a_live_server_for_clients_that_take_a_base_url():
    def from_url(base_url, api_key):
        with openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=2) as client:
            return good_client(client)

    run = replay(from_url, Scenario(behaviours=(ErrorStatus(503, retry_after_ms=1500),), content=Content(text="héllo")))
    assert run.outcome.value["content"] == "héllo"
    assert run.exchanges[1].time - run.exchanges[0].time == pytest.approx(1.5)


def test_a_failure_shrinks_to_a_small_replayable_scenario():
    def no_retry_header_support(client):
        return retrying(client, delays=[0.25, 0.5, 1.0])

    with pytest.raises(CheckFailure) as info:
        verify_client(no_retry_header_support, scenarios=s.retries(), hypothesis=FAST, max_attempts=4,
                      checks=[checks.retries_honour_retry_after])
    failure = info.value
    scenario = failure.run.scenario
    assert len(scenario.behaviours) == 1  # one refusal that asked for a wait is the smallest counterexample
    assert isinstance(scenario.behaviours[0], SpentWindow) or scenario.behaviours[0].retry_after_ms is not None
    text = str(failure)
    for part in ("Server behaviours, in order:", "request 1: ", "What happened:", "The request that broke",
                 '"model": "gpt-4o-mini"', "replay(your_client_function, Scenario("):
        assert part in text
    namespace = {}
    exec("from mockapi.harness.scenarios import *", namespace)
    replayed = eval(repr(scenario), namespace)
    assert replayed == scenario
    with pytest.raises(CheckFailure):
        replay(no_retry_header_support, replayed, checks=[checks.retries_honour_retry_after], max_attempts=4)


@verify(scenarios=s.streaming(), max_examples=10)
def test_the_decorator_makes_a_pytest_test(client):
    return good_client(client)


def test_the_decorator_runs_the_property():
    @verify(scenarios=s.streaming(), hypothesis=FAST)
    def broken(client):
        return "".join(c.choices[0].delta.content or ""
                       for c in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True))

    with pytest.raises(CheckFailure):
        broken()


def test_the_contract_fixture(contract):  # noqa: F811 - the fixture imported above
    contract.verify(good_client, scenarios=contract.scenarios.streaming(), hypothesis=FAST)
    assert contract.replay(plain_client, Scenario()).exchanges


def test_public_names_on_mockapi_contract():
    from mockapi.contract import load_contract

    assert load_contract().by_id
    assert mockapi.contract.verify is verify and mockapi.contract.CheckFailure is CheckFailure
    assert mockapi.contract.scenarios.default() is not None and mockapi.contract.checks.ALL


def test_client_functions_are_checked_before_running():
    with pytest.raises(TypeError, match="may take"):
        verify_client(lambda session: None)


@pytest.mark.parametrize("make", [lambda: s.error_statuses([200]), lambda: s.error_statuses([]), lambda: s.texts(0),
                                  lambda: s.tool_calls(0), lambda: s.rate_limits(0), lambda: s.behaviours(max_length=-1)])
def test_strategies_check_their_arguments_when_called(make):
    with pytest.raises(InvalidArgument):
        make()


@settings(max_examples=30, deadline=None, database=None)
@given(st.data())
def test_driver_sends_retry_headers_exactly_as_drawn(data):
    error = data.draw(s.error_statuses())
    run = replay(plain_client, Scenario(behaviours=(error,)), checks=[], sdk_max_retries=0)
    headers = run.exchanges[0].response_headers
    assert run.exchanges[0].status == error.status
    assert headers.get("retry-after-ms") == (None if error.retry_after_ms is None else str(error.retry_after_ms))
    assert headers.get("retry-after") == (None if error.retry_after is None else str(error.retry_after))
    if error.should_retry is not None:
        assert headers["x-should-retry"] == str(error.should_retry).lower()
    assert set(json.loads(run.exchanges[0].body)) >= {"model", "messages"}


def test_responses_clients_too():
    def responses_stream(client):
        text = ""
        for event in client.responses.create(model="gpt-4o-mini", input="Say hi", stream=True):
            if event.type == "response.output_text.delta":
                text += event.delta
            elif event.type == "error":
                raise RuntimeError(event.message)
        return text

    def waits_for_response_done(client):  # the reference's §13.6 branch: that event does not exist
        text = ""
        for event in client.responses.create(model="gpt-4o-mini", input="Say hi", stream=True):
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.done":
                return text
        return ""

    verify_client(responses_stream, hypothesis=FAST)
    with pytest.raises(CheckFailure) as info:
        verify_client(waits_for_response_done, scenarios=s.streaming(), hypothesis=FAST)
    assert info.value.checks == ["stream_reassembled"]


def test_driver_dresses_streams_as_drawn():
    def raw_reads(http_client, api_key):
        body = {"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True}
        with http_client.stream("POST", "/chat/completions", json=body, headers={"Authorization": f"Bearer {api_key}"}) as r:
            return list(r.iter_bytes())

    shape = StreamShape(pieces=(1, 2), empty_deltas=2, extra_fields=True, usage_chunk=True)
    run = replay(raw_reads, Scenario(content=Content(text="你好"), shape=shape), checks=[])
    reads = run.outcome.value
    assert [len(r) for r in reads[:4]] == [1, 2, 1, 2]
    whole = b"".join(reads)
    def decodes(read: bytes) -> bool:
        try:
            read.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    assert not all(decodes(read) for read in reads)  # some reads end inside a three-byte character
    events = [json.loads(line[6:]) for line in whole.decode().split("\n") if line.startswith("data: {")]
    assert all("x_harness_unknown" in e for e in events)
    assert sum(1 for e in events if e["choices"] and e["choices"][0]["delta"] in ({}, {"content": ""})) >= 2
    assert events[-1]["choices"] == [] and events[-1]["usage"]["total_tokens"] > 0
    assert whole.endswith(b"data: [DONE]\n\n")
    assert "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"]) == "你好"


def test_properties_of_your_own_and_checks_by_name():
    def says_something(run):
        assert run.outcome.value, "the client returned nothing"

    def silent(client):
        plain_client(client)
        return ""

    with pytest.raises(CheckFailure) as info:
        replay(silent, Scenario(), checks=["no_hang", says_something])
    assert info.value.checks == ["says_something"] and "returned nothing" in str(info.value)
    replay(good_client, Scenario(), checks=["no_hang", says_something])
    with pytest.raises(ValueError, match="unknown checks"):
        verify_client(good_client, checks=["no_such_check"])
