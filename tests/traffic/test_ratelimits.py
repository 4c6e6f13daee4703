"""Rate limits (issue 6): counters, consistent headers, 429s with the real wait, quotas, through the SDK."""

from __future__ import annotations

import math
import re

import openai
import pytest
from conftest import inprocess_clients, make_engine
from traffic_helpers import (
    API_KEY,
    chat,
    control,
    entries_since,
    last_seq,
    with_retries,
)

DURATION = re.compile(r"^([0-9]+h)?([0-9]+m)?([0-9.]+s|[0-9]+ms)$")


def at_minute_end(mock, left: float) -> float:
    """Freeze the clock ``left`` seconds before the current minute ends; return that instant."""
    now = mock.engine.clock.now()
    at = (math.floor(now / 60) + 1) * 60 - left
    mock.engine.clock.freeze(at)
    return at


def test_headers_stay_consistent_across_1000_calls(mock):
    client = mock.client
    mock.engine.clock.freeze(math.floor(mock.engine.clock.now() / 60) * 60 + 1)  # one second into a window
    previous = None
    for i in range(1000):
        if i and i % 250 == 0:
            mock.engine.clock.advance(60)  # a new window: the budget is whole again
            previous = None
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"question {i % 7}"}])
        h = raw.headers
        used = raw.parse().usage.total_tokens
        limit_req, limit_tok = int(h["x-ratelimit-limit-requests"]), int(h["x-ratelimit-limit-tokens"])
        remaining_req, remaining_tok = int(h["x-ratelimit-remaining-requests"]), int(h["x-ratelimit-remaining-tokens"])
        assert (limit_req, limit_tok) == (10000, 10000000)
        assert DURATION.match(h["x-ratelimit-reset-requests"]) and DURATION.match(h["x-ratelimit-reset-tokens"])
        if previous is None:
            assert (remaining_req, remaining_tok) == (limit_req - 1, limit_tok - used)
        else:
            assert remaining_req == previous[0] - 1, f"call {i}"
            assert remaining_tok == previous[1] - used, f"call {i}"
        previous = (remaining_req, remaining_tok)


def test_rpm_exceeded_is_429_with_retry_after_equal_to_the_real_wait(mock):
    control(mock).set_limits(API_KEY, rpm=2)
    at = at_minute_end(mock, 29.5)
    mock.client.models.list()
    mock.client.models.list()
    with pytest.raises(openai.RateLimitError) as info:
        mock.client.models.list()
    err = info.value
    assert (err.code, err.type) == ("rate_limit_exceeded", "requests")
    assert "requests per min (RPM): Limit 2, Used 2, Requested 1" in err.message
    h = err.response.headers
    assert (h["retry-after-ms"], h["retry-after"]) == ("29500", "30")
    assert (h["x-ratelimit-limit-requests"], h["x-ratelimit-remaining-requests"]) == ("2", "0")
    mock.engine.clock.freeze(at + 29.5)  # the window turns: room again
    assert mock.client.models.list().data


def test_sdk_retries_a_429_exactly_max_retries_times_then_raises(mock):
    control(mock).set_limits(API_KEY, rpm=1)
    at_minute_end(mock, 0.004)  # a 4 ms wait, so the SDK's honoured retry-after-ms keeps the test fast
    mock.client.models.list()
    seq = last_seq(mock)
    with pytest.raises(openai.RateLimitError):
        with_retries(mock, 3).models.list()
    attempts = entries_since(mock, seq)
    assert [(e.status, e.retry_count) for e in attempts] == [(429, 0), (429, 1), (429, 2), (429, 3)]
    assert all(dict(e.response_headers)["retry-after-ms"] == "4" for e in attempts)


def test_sdk_retry_succeeds_once_the_window_turns(mock):
    control(mock).set_limits(API_KEY, rpm=1)
    at_minute_end(mock, 0.003)
    mock.client.models.list()
    clock = mock.engine.clock
    unsubscribe = mock.engine.traffic.journal.subscribe(lambda e: clock.advance(0.003) if e.status == 429 else None)
    seq = last_seq(mock)
    try:
        assert with_retries(mock, 2).models.list().data
    finally:
        unsubscribe()
    assert [(e.status, e.retry_count) for e in entries_since(mock, seq)] == [(429, 0), (200, 1)]


def test_tpm_exceeded_names_the_tokens_bucket(mock):
    control(mock).set_limits(API_KEY, tpm=60)
    at_minute_end(mock, 10)
    with pytest.raises(openai.RateLimitError) as info:
        chat(mock.client, "hi", max_tokens=100)  # the estimate (prompt + max_tokens) does not fit
    assert info.value.type == "tokens" and "tokens per min (TPM): Limit 60" in info.value.message
    assert info.value.response.headers["retry-after-ms"] == "10000"
    assert chat(mock.client, "hi", max_tokens=5).choices


def test_requests_per_day_window_gives_a_wait_too_long_to_retry(mock):
    control(mock).set_limits(API_KEY, rpd=2)
    seq = last_seq(mock)
    mock.client.models.list()
    mock.client.models.list()
    with pytest.raises(openai.RateLimitError) as info:
        with_retries(mock, 2).models.list()
    assert "requests per day (RPD)" in info.value.message
    assert int(info.value.response.headers["retry-after"]) > 120  # the SDK refuses waits over two minutes
    assert len(entries_since(mock, seq)) == 3
    mock.engine.clock.advance(86400)
    assert mock.client.models.list().data


def test_insufficient_quota_is_429_never_retried(mock):
    control(mock).set_limits(API_KEY, quota=0)
    seq = last_seq(mock)
    with pytest.raises(openai.RateLimitError) as info:
        with_retries(mock, 3).models.list()
    assert info.value.code == "insufficient_quota"
    assert info.value.response.headers["x-should-retry"] == "false"
    assert "retry-after" not in info.value.response.headers
    assert len(entries_since(mock, seq)) == 1


def test_quota_is_spent_by_tokens(mock):
    control(mock).set_limits(API_KEY, quota=200)
    spent: list[int] = []
    with pytest.raises(openai.RateLimitError) as info:
        for _ in range(50):
            spent.append(chat(mock.client, "tell me something").usage.total_tokens)
    assert info.value.code == "insufficient_quota"
    assert len(spent) >= 2 and sum(spent[:-1]) < 200 <= sum(spent) + 10  # each call started with quota left


def test_images_per_minute(mock, monkeypatch):
    if "createImage" not in mock.engine.contract.by_id:
        pytest.skip("createImage is not in the contract yet")
    image = {"created": 1750000000, "data": [{"url": "https://example.invalid/a.png"}]}
    monkeypatch.setitem(mock.engine.handlers, "createImage", lambda call: image)
    control(mock).set_limits(API_KEY, ipm=3)
    at_minute_end(mock, 5)
    mock.client.images.generate(model="dall-e-2", prompt="a cat", n=2)
    with pytest.raises(openai.RateLimitError) as info:
        mock.client.images.generate(model="dall-e-2", prompt="a cat", n=2)
    assert "images per minute (IPM): Limit 3, Used 2, Requested 2" in info.value.message
    mock.client.images.generate(model="dall-e-2", prompt="a cat", n=1)


def test_limits_are_counted_per_tenant_and_model(mock):
    control(mock).set_limits(API_KEY, rpm=1)
    chat(mock.client, "a")
    with pytest.raises(openai.RateLimitError):
        chat(mock.client, "b")
    assert mock.client.models.retrieve("gpt-4o").id == "gpt-4o"  # another model's window is untouched
    other = mock.client.with_options(api_key="sk-other-key-0000000000")
    assert chat(other, "c").choices  # another tenant too


def test_config_overrides_limits_per_key_and_tier():
    engine = make_engine(extra={"rate_limits": {"keys": {API_KEY: {"rpm": 1}}, "tiers": {"tier-5": {"tpm": {"gpt-4": 1234}}}}})
    client, _ = inprocess_clients(engine, max_retries=0)
    raw = client.models.with_raw_response.list()
    assert (raw.headers["x-ratelimit-limit-requests"], raw.headers["x-ratelimit-limit-tokens"]) == ("1", "1234")
    with pytest.raises(openai.RateLimitError):
        client.models.list()


def test_free_tier_allows_three_requests_per_minute():
    engine = make_engine(tier="free")
    client, _ = inprocess_clients(engine, max_retries=0)
    for expected in ("2", "1", "0"):
        assert client.models.with_raw_response.list().headers["x-ratelimit-remaining-requests"] == expected
    with pytest.raises(openai.RateLimitError):
        client.models.list()


def test_enforcement_can_be_switched_off():
    engine = make_engine(tier="free", extra={"rate_limits": {"enforce": False}})
    client, _ = inprocess_clients(engine, max_retries=0)
    for _ in range(5):
        client.models.list()


def test_limits_for_configured_keys_follow_their_tenant():
    from mockapi.core.config import KeyInfo

    engine = make_engine(keys={API_KEY: KeyInfo(organization="org-a", tier="free")},
                         extra={"rate_limits": {"keys": {API_KEY: {"rpm": 2}, "sk-not-configured-000000": {"rpm": 1}}}})
    client, _ = inprocess_clients(engine, max_retries=0)
    assert client.models.with_raw_response.list().headers["x-ratelimit-limit-requests"] == "2"
    client.models.list()
    with pytest.raises(openai.RateLimitError) as info:
        client.models.list()
    assert "organization org-a" in info.value.message


def test_token_headers_remember_earlier_calls_on_calls_that_charge_nothing(mock):
    used = chat(mock.client, "spend some tokens").usage.total_tokens
    with pytest.raises(openai.InternalServerError) as info:
        chat(mock.client, "x", extra_headers={"x-mockapi-fault": "500"})
    assert int(info.value.response.headers["x-ratelimit-remaining-tokens"]) == 10_000_000 - used
