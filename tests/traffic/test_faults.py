"""Faults (issue 6): the x-mockapi-fault header and control-plane rules, through the real SDK."""

from __future__ import annotations

import httpx2
import openai
import pytest
from traffic_helpers import (
    API_KEY,
    chat,
    control,
    entries_since,
    last_seq,
    with_retries,
)

from mockapi.core.results import Event, Stream
from mockapi.traffic import faults as faults_module

EXCEPTIONS = {
    400: openai.BadRequestError, 401: openai.AuthenticationError, 403: openai.PermissionDeniedError,
    404: openai.NotFoundError, 408: openai.APIStatusError, 409: openai.ConflictError, 413: openai.APIStatusError,
    422: openai.UnprocessableEntityError, 429: openai.RateLimitError, 500: openai.InternalServerError,
    502: openai.InternalServerError, 503: openai.InternalServerError, 504: openai.InternalServerError,
}
RETRIED = {408, 409, 429, 500, 502, 503, 504}  # the SDK's policy (_base_client._should_retry)


@pytest.mark.parametrize("status", sorted(EXCEPTIONS))
def test_fault_header_forces_each_status_with_its_body_and_retries_per_sdk_policy(mock, status):
    seq = last_seq(mock)
    client = with_retries(mock, 2)
    with pytest.raises(EXCEPTIONS[status]) as info:
        client.models.list(extra_headers={"x-mockapi-fault": f"{status} retry-after-ms=1"})
    assert info.value.status_code == status
    assert set(info.value.body) == {"message", "type", "param", "code"}
    assert info.value.response.headers["retry-after-ms"] == "1"
    attempts = entries_since(mock, seq)
    expected = 3 if status in RETRIED else 1
    assert [e.retry_count for e in attempts] == list(range(expected))
    assert all(e.status == status and e.fault for e in attempts)


def test_x_should_retry_overrides_the_status_policy(mock):
    seq = last_seq(mock)
    with pytest.raises(openai.InternalServerError):
        with_retries(mock, 3).models.list(extra_headers={"x-mockapi-fault": "503 retry-after-ms=1 should-retry=false"})
    with pytest.raises(openai.BadRequestError):
        with_retries(mock, 2).models.list(extra_headers={"x-mockapi-fault": "400 retry-after-ms=1 should-retry=true"})
    assert [(e.status, e.retry_count) for e in entries_since(mock, seq)] == [(503, 0), (400, 0), (400, 1), (400, 2)]


def test_insufficient_quota_fault_is_never_retried(mock):
    seq = last_seq(mock)
    with pytest.raises(openai.RateLimitError) as info:
        with_retries(mock, 3).models.list(extra_headers={"x-mockapi-fault": "insufficient_quota"})
    assert info.value.code == "insufficient_quota" and info.value.type == "insufficient_quota"
    assert info.value.response.headers["x-should-retry"] == "false"
    assert len(entries_since(mock, seq)) == 1


def test_rule_fails_the_first_n_matching_requests_and_retries_count(mock):
    ctl = control(mock)
    rule = ctl.add_fault("503 retry-after-ms=1", path="/v1/models", times=2)
    seq = last_seq(mock)
    models = with_retries(mock, 2).models.list()
    assert models.data
    attempts = entries_since(mock, seq)
    assert [(e.status, e.retry_count) for e in attempts] == [(503, 0), (503, 1), (200, 2)]
    assert [r["hits"] for r in ctl.faults() if r["id"] == rule["id"]] == [3]
    mock.client.models.list()  # exhausted: the rule lets everything through now
    ctl.delete_fault(rule["id"])
    assert ctl.faults() == []


def test_rule_that_outlasts_max_retries_raises(mock):
    control(mock).add_fault("500 retry-after-ms=1", path="/v1/models", times=3)
    seq = last_seq(mock)
    with pytest.raises(openai.InternalServerError):
        with_retries(mock, 2).models.list()
    assert [e.status for e in entries_since(mock, seq)] == [500, 500, 500]
    assert mock.client.models.list().data  # the fourth matching request succeeds


def test_rules_match_by_model_tenant_and_body(mock):
    ctl = control(mock)
    ctl.add_fault("503", path="/v1/chat/completions", model="gpt-4o-mini", body="magic-word")
    blocked = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}", "openai-organization": "org-blocked"})[0]
    ctl.add_fault("403", tenant=blocked)
    assert chat(mock.client, "plain question").choices
    with pytest.raises(openai.InternalServerError):
        chat(mock.client, "please say the magic-word")
    with pytest.raises(openai.PermissionDeniedError):
        mock.client.models.list(extra_headers={"openai-organization": "org-blocked"})
    assert mock.client.models.list(extra_headers={"openai-organization": "org-fine"}).data


def test_probability_rule_draws_from_the_seeded_rng(mock):
    ctl = control(mock)
    ctl.add_fault("503", path="/v1/models", probability=0.5)

    def outcomes() -> list[bool]:
        out = []
        for _ in range(40):
            try:
                mock.client.models.list()
                out.append(True)
            except openai.InternalServerError:
                out.append(False)
        return out

    first = outcomes()
    assert 5 < first.count(False) < 35
    ctl.reset()
    ctl.add_fault("503", path="/v1/models", probability=0.5)
    assert outcomes() == first  # same seed, same rule: the same failures


def test_bad_fault_header_is_a_400_naming_it(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.models.list(extra_headers={"x-mockapi-fault": "explode"})
    assert info.value.body["param"] == "x-mockapi-fault"


def test_connection_reset_before_headers_is_an_api_connection_error(mock):
    seq = last_seq(mock)
    with pytest.raises(openai.APIConnectionError) as info:
        mock.client.models.list(extra_headers={"x-mockapi-fault": "reset"})
    assert not isinstance(info.value, openai.APITimeoutError)
    assert entries_since(mock, seq)[-1].fault == "reset"
    assert mock.client.models.list().data  # the server is fine afterwards


def test_stall_until_the_client_times_out_is_an_api_timeout_error(mock):
    with pytest.raises(openai.APITimeoutError):
        mock.client.with_options(timeout=0.5).models.list(extra_headers={"x-mockapi-fault": "stall"})
    assert mock.client.models.list().data


def test_stream_cut_after_k_events_is_a_connection_error_mid_stream(mock):
    stream = chat(mock.client, "tell me a long story", stream=True, extra_headers={"x-mockapi-fault": "cut after=3"})
    got = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in stream:
            got.append(chunk)
    assert len(got) == 3


def test_cut_plain_body_is_a_connection_error(mock):
    with pytest.raises(openai.APIConnectionError):
        mock.client.models.list(extra_headers={"x-mockapi-fault": "cut"})


def test_chat_error_event_mid_stream_raises_api_error(mock):
    stream = chat(mock.client, "hello", stream=True, extra_headers={"x-mockapi-fault": "error after=2 code=overloaded"})
    got = []
    with pytest.raises(openai.APIError) as info:
        for chunk in stream:
            got.append(chunk)
    assert len(got) == 2
    assert info.value.body["code"] == "overloaded"
    assert not isinstance(info.value, openai.APIStatusError)


@pytest.mark.parametrize("chaos", ["split bytes=1", "split bytes=7 keepalive", "crlf", "split keepalive crlf"])
def test_chaotic_framing_parses_to_the_same_stream(mock, chaos):
    def text(headers: dict[str, str]) -> str:
        chunks = chat(mock.client, "describe the sea", stream=True, extra_headers=headers)
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)

    plain = text({})
    assert plain
    assert text({"x-mockapi-fault": chaos}) == plain


def test_chaos_really_reshapes_the_bytes(mock):
    seq = last_seq(mock)
    list(chat(mock.client, "hi", stream=True, extra_headers={"x-mockapi-fault": "split bytes=5 keepalive crlf"}))
    entry = entries_since(mock, seq)[-1]
    assert all(len(f.encode()) <= 5 for f in entry.frames) and entry.frames_dropped > 0  # many tiny pieces
    joined = "".join(entry.frames)
    assert joined.startswith(": keep-alive\r\n\r\ndata: {") and "\n" not in joined.replace("\r\n", "")


def _stub(dialect: str, events: list[Event]):  # noqa: ANN202
    def handler(call):  # noqa: ANN001, ANN202
        return Stream(iter(list(events)), dialect=dialect)

    return handler


def _needs(mock, operation_id: str) -> None:
    if operation_id not in mock.engine.contract.by_id:
        pytest.skip(f"{operation_id} is not in the contract yet")


def test_responses_error_event_mid_stream(mock, monkeypatch):
    _needs(mock, "createResponse")
    events = [Event({"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0, "content_index": 0,
                     "delta": f"w{i} ", "sequence_number": i, "logprobs": []}, "response.output_text.delta") for i in range(5)]
    monkeypatch.setitem(mock.engine.handlers, "createResponse", _stub("responses", events))
    stream = mock.client.responses.create(model="gpt-4o", input="hi", stream=True,
                                          extra_headers={"x-mockapi-fault": "error after=3 code=server_error"})
    got = list(stream)
    assert [e.type for e in got] == ["response.output_text.delta"] * 3 + ["error"]
    assert (got[-1].code, got[-1].sequence_number) == ("server_error", 3)
    assert got[-1].message


def test_assistants_error_event_mid_stream(mock, monkeypatch):
    _needs(mock, "createRun")
    run = {"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "status": "queued"}
    events = [Event(run, "thread.run.created"), Event(run, "thread.run.queued"), Event(run, "thread.run.in_progress")]
    monkeypatch.setitem(mock.engine.handlers, "createRun", _stub("assistants", events))
    stream = mock.client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True,
                                                   extra_headers={"x-mockapi-fault": "error after=1"})
    got = list(stream)
    assert [e.event for e in got] == ["thread.run.created", "error"]
    assert got[-1].data.code == "server_error" and got[-1].data.message


def test_error_frames_per_dialect():
    assert faults_module.streams.error_frame("chat", 4).startswith(b'data: {"error":{')
    responses = faults_module.streams.error_frame("responses", 4)
    assert responses.startswith(b"event: error\ndata: {") and b'"sequence_number":4' in responses
    assert b'"code":"server_error"' in responses and b'"param":null' in responses
    assert faults_module.streams.error_frame("assistants", 0).startswith(b"event: error\ndata: {\"code\"")


def test_fault_spec_grammar():
    parse = faults_module.parse
    assert parse("429 retry-after=0.25 should-retry=false").retry_after_ms == 250
    assert parse("429 retry-after=0.25 should-retry=false").should_retry is False
    assert parse("cut after=3").after == 3 and parse("timeout").kind == "stall"
    spec = parse("split bytes=7 keepalive crlf")
    assert (spec.kind, spec.split, spec.keepalive, spec.crlf) == ("chaos", 7, True, True)
    assert parse({"kind": "status", "status": 502}).status == 502


def test_door_transport_errors_are_the_ones_httpx_raises(mock):
    if mock.mode != "inprocess":
        pytest.skip("in-process door only")
    raw = httpx2.Client(transport=mock.client._client._transport)
    with pytest.raises(httpx2.RemoteProtocolError):
        raw.get("https://api.openai.com/v1/models", headers={"authorization": "Bearer sk-test-0123456789",
                                                               "x-mockapi-fault": "reset"})
    with pytest.raises(httpx2.ReadTimeout):
        raw.get("https://api.openai.com/v1/models", headers={"authorization": "Bearer sk-test-0123456789",
                                                               "x-mockapi-fault": "stall"})


async def test_async_client_sees_the_same_faults(mock):
    client = mock.async_client
    with pytest.raises(openai.APIConnectionError):
        await client.models.list(extra_headers={"x-mockapi-fault": "reset"})
    with pytest.raises(openai.InternalServerError):
        await client.models.list(extra_headers={"x-mockapi-fault": "502"})
    stream = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                                  stream=True, extra_headers={"x-mockapi-fault": "cut after=2"})
    got = []
    with pytest.raises(openai.APIConnectionError):
        async for chunk in stream:
            got.append(chunk)
    assert len(got) == 2


def _rate_limited(mock, spec: str) -> openai.RateLimitError:
    with pytest.raises(openai.RateLimitError) as info:
        mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                            extra_headers={"x-mockapi-fault": spec})
    return info.value


@pytest.mark.parametrize("spec, wait_ms, reset", [("429", 1000, "1s"), ("429 retry-after-ms=250", 250, "250ms"),
                                                  ("rate_limit retry-after=3", 3000, "3s")])
def test_a_429_fault_says_the_request_window_is_spent_until_retry_after(mock, spec, wait_ms, reset):
    headers = _rate_limited(mock, spec).response.headers
    for name in ("retry-after", "retry-after-ms", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                 "x-ratelimit-limit-requests"):
        assert len(headers.get_list(name)) == 1, name  # one value each, not the limiter's beside the fault's
    assert headers["retry-after-ms"] == str(wait_ms) and headers["retry-after"] == str(max(1, -(-wait_ms // 1000)))
    assert headers["x-ratelimit-remaining-requests"] == "0" and headers["x-ratelimit-reset-requests"] == reset
    assert int(headers["x-ratelimit-limit-requests"]) > 0


def test_insufficient_quota_fault_has_no_retry_after(mock):
    with pytest.raises(openai.RateLimitError) as info:
        mock.client.models.list(extra_headers={"x-mockapi-fault": "insufficient_quota"})
    assert "retry-after" not in info.value.response.headers and info.value.code == "insufficient_quota"
