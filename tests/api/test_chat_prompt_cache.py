"""Prompt caching in Chat Completions (mockapi/core/prompt_cache.py): what a repeated prefix reads back, through the SDK.

Sources: the prompt caching guide (1,024-token minimum, 128-token steps before gpt-5.6, exact breakpoints and
reported writes from gpt-5.6, the 30m TTL) as quoted in openai/openai-dotnet#1247, ax-llm/ax#573 and
iii-hq/workers#1202; a gpt-5.6 prompt of 7,540 tokens writing 7,537 (BerriAI/litellm#37628).
"""

from __future__ import annotations

import json

import pytest
import tenant_helpers
from conftest import make_engine
from tenant_helpers import KEY_A, KEY_A2, KEY_C, KEY_LONE
from test_admin import admin

from mockapi.core.engine import Request
from mockapi.core.tokenizer import count_tokens

LONG = "Stable, cacheable instructions and reference material. " * 400  # 3,601 tokens
SHORT = "Explain retries with exponential backoff."
ASKED = [{"role": "system", "content": LONG}, {"role": "user", "content": "Say hello."}]
MARKED = [{"role": "user", "content": [{"type": "text", "text": LONG, "prompt_cache_breakpoint": {"mode": "explicit"}},
                                       {"type": "text", "text": "Say hello."}]}]
PRIMING = 3  # the tokens that prime the reply: no prefix reaches them
keyed, _keyed_server = tenant_helpers.keyed, tenant_helpers._keyed_server  # the configured keys' mock, as fixtures here


def chat(client, messages, model="gpt-4o", **kwargs):
    return client.chat.completions.create(model=model, messages=messages, max_completion_tokens=16, **kwargs)


def cached(reply) -> int:
    return reply.usage.prompt_tokens_details.cached_tokens


def written(reply) -> int | None:
    return reply.usage.prompt_tokens_details.cache_write_tokens


def steps(tokens: int) -> int:
    """A prefix as models before gpt-5.6 report it: 1,024 tokens, then whole steps of 128."""
    return tokens - (tokens - 1024) % 128


def test_a_repeated_long_prompt_reads_its_prefix_in_steps_of_128(mock):
    first, second = chat(mock.client, ASKED), chat(mock.client, ASKED)
    mock.validate("createChatCompletion", second)
    assert cached(first) == 0 and second.usage.prompt_tokens == first.usage.prompt_tokens
    assert cached(second) % 128 == 0 and cached(second) >= 1024
    assert cached(second) == steps(second.usage.prompt_tokens - PRIMING)  # the whole prompt, rounded down
    assert written(first) is None and written(second) is None  # before gpt-5.6, writes are not reported
    assert second.choices[0].message.content == first.choices[0].message.content  # the words don't change


def test_a_short_prompt_never_caches(mock):
    short = [{"role": "user", "content": [{"type": "text", "text": SHORT, "prompt_cache_breakpoint": {"mode": "explicit"}}]}]
    for model in ("gpt-4o", "gpt-5.6"):
        replies = [chat(mock.client, short, model=model) for _ in range(3)]
        assert [cached(r) for r in replies] == [0, 0, 0]
    assert [written(r) for r in replies] == [0, 0, 0]  # gpt-5.6 reports writes, none here


def test_a_longer_prompt_reads_the_prefix_it_shares(mock):
    first = chat(mock.client, ASKED)
    longer = [*ASKED, {"role": "assistant", "content": first.choices[0].message.content}, {"role": "user", "content": "And goodbye."}]
    assert cached(chat(mock.client, longer)) == steps(first.usage.prompt_tokens - PRIMING)
    # Best effort before gpt-5.6: a prompt that differs after the system message reuses the system message.
    other = chat(mock.client, [ASKED[0], {"role": "user", "content": "Something else entirely."}])
    assert cached(other) == steps(3 + count_tokens(LONG))


def test_gpt_5_6_reads_and_writes_exact_prefixes_at_the_latest_user_message(mock):
    first, again = chat(mock.client, ASKED, model="gpt-5.6"), chat(mock.client, ASKED, model="gpt-5.6")
    mock.validate("createChatCompletion", again)
    whole = first.usage.prompt_tokens - PRIMING
    assert (cached(first), written(first)) == (0, whole)
    assert (cached(again), written(again)) == (whole, 0)  # a read refreshes the entry: nothing written again
    longer = [*ASKED, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "And goodbye."}]
    grown = chat(mock.client, longer, model="gpt-5.6")
    assert (cached(grown), written(grown)) == (whole, grown.usage.prompt_tokens - PRIMING - whole)
    # No fall back to a prefix that was never a breakpoint: the system message alone was not one.
    other = chat(mock.client, [ASKED[0], {"role": "user", "content": "Something else entirely."}], model="gpt-5.6")
    assert cached(other) == 0 and written(other) == other.usage.prompt_tokens - PRIMING


def test_an_explicit_breakpoint_is_read_back_at_its_exact_length(mock):
    # langchain-openai's integration test: explicit mode, one marked part, sent twice.
    options = {"prompt_cache_options": {"mode": "explicit"}}
    first, second = (chat(mock.client, MARKED, model="gpt-5.6-sol", **options) for _ in range(2))
    marked = 3 + count_tokens(LONG)  # the message's own tokens and the marked part, not rounded to a block
    assert (cached(first), written(first)) == (0, marked)
    assert (cached(second), written(second)) == (marked, 0) and marked % 128 != 0
    stream = chat(mock.client, MARKED, model="gpt-5.6-sol", stream=True, stream_options={"include_usage": True}, **options)
    chunks = list(stream)
    assert chunks[-1].usage == second.usage  # a stream reports the same usage


def test_explicit_mode_without_a_breakpoint_does_not_cache(mock):
    replies = [chat(mock.client, ASKED, model="gpt-5.6", prompt_cache_options={"mode": "explicit"}) for _ in range(2)]
    assert [(cached(r), written(r)) for r in replies] == [(0, 0), (0, 0)]


def test_a_request_writes_at_most_four_breakpoints(mock):
    # Implicit mode: the implicit breakpoint and the latest three marks; explicit mode: the latest four marks.
    parts = [{"type": "text", "text": f"Section {k}. " + LONG, "prompt_cache_breakpoint": {"mode": "explicit"}} for k in range(4)]
    mark = [3 + sum(count_tokens(p["text"]) for p in parts[:k + 1]) for k in range(4)]  # each mark's prefix

    def through(k: int, model: str, **kwargs):  # a prompt sharing the parts up to mark k, then another message
        return chat(mock.client, [{"role": "user", "content": parts[:k + 1]}, {"role": "user", "content": "Hi."}], model=model, **kwargs)

    chat(mock.client, [{"role": "user", "content": parts}], model="gpt-5.6")
    assert cached(through(0, "gpt-5.6")) == 0  # the earliest mark was left out…
    assert cached(through(1, "gpt-5.6")) == mark[1]  # …the next one was written
    explicit = {"prompt_cache_options": {"mode": "explicit"}}
    first = chat(mock.client, [{"role": "user", "content": parts}], model="gpt-5.6-sol", **explicit)
    assert written(first) == mark[3]
    assert cached(through(0, "gpt-5.6-sol", **explicit)) == mark[0]  # all four were written


def test_prompt_cache_key_routes_to_its_own_cache(mock):
    assert cached(chat(mock.client, ASKED, prompt_cache_key="tenant-a")) == 0
    assert cached(chat(mock.client, ASKED, prompt_cache_key="tenant-b")) == 0
    assert cached(chat(mock.client, ASKED)) == 0
    assert cached(chat(mock.client, ASKED, prompt_cache_key="tenant-a")) > 0
    assert cached(chat(mock.client, ASKED, model="gpt-4o-mini", prompt_cache_key="tenant-a")) == 0  # per model too


def test_the_cache_is_per_organization(keyed):
    assert cached(chat(keyed.client(KEY_A), ASKED)) == 0  # org-a writes
    assert cached(chat(keyed.client(KEY_A, organization="org-b"), ASKED)) == 0  # another organization of the same key
    assert cached(chat(keyed.client(KEY_LONE), ASKED)) == 0  # another key's own tenant
    assert cached(chat(keyed.client(KEY_A2), ASKED)) > 0  # a colleague in org-a reads it
    assert cached(chat(keyed.client(KEY_C), ASKED)) == 0  # org-c, project proj_c1
    assert cached(chat(keyed.client(KEY_C, project="proj_c2"), ASKED)) > 0  # every project of an organization shares


def test_a_tenant_reset_forgets_what_its_organization_cached(keyed):
    # A reset starts the tenant over: the same request then says the same, cached tokens included.
    client = keyed.client(KEY_C, project="proj_c2")
    first = chat(client, ASKED)
    keyed.control(KEY_C, project="proj_c2").reset()
    again = chat(client, ASKED)
    assert cached(first) == cached(again) == 0


def test_entries_expire_on_the_mock_clock(mock):
    chat(mock.client, ASKED)  # before gpt-5.6: in-memory retention, 10 minutes after the last use
    mock.engine.clock.advance(599)
    assert cached(chat(mock.client, ASKED)) > 0
    mock.engine.clock.advance(599)  # the read refreshed it
    assert cached(chat(mock.client, ASKED)) > 0
    mock.engine.clock.advance(601)
    assert cached(chat(mock.client, ASKED)) == 0
    chat(mock.client, ASKED, prompt_cache_retention="24h")
    mock.engine.clock.advance(3600)
    assert cached(chat(mock.client, ASKED, prompt_cache_retention="24h")) > 0


def test_gpt_5_6_entries_live_their_ttl(mock):
    chat(mock.client, ASKED, model="gpt-5.6")  # the 30m default
    mock.engine.clock.advance(1799)
    assert cached(chat(mock.client, ASKED, model="gpt-5.6")) > 0
    mock.engine.clock.advance(1801)
    assert cached(chat(mock.client, ASKED, model="gpt-5.6")) == 0
    twelve_hours = [{"role": "user", "content": [{**MARKED[0]["content"][0], "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "12h"}},
                                                 MARKED[0]["content"][1]]}]
    chat(mock.client, twelve_hours, model="gpt-5.6", prompt_cache_options={"mode": "explicit"})
    mock.engine.clock.advance(11 * 3600)
    assert cached(chat(mock.client, twelve_hours, model="gpt-5.6", prompt_cache_options={"mode": "explicit"})) > 0
    mock.engine.clock.advance(12 * 3600 + 1)
    assert cached(chat(mock.client, twelve_hours, model="gpt-5.6", prompt_cache_options={"mode": "explicit"})) == 0


def test_usage_reports_count_the_cached_tokens(mock):
    replies = [chat(mock.client, ASKED) for _ in range(3)]
    page = admin(mock).admin.organization.usage.completions(start_time=int(mock.engine.clock.now()) - 86400)
    [row] = [r for bucket in page.data for r in bucket.results]
    assert row.input_cached_tokens == sum(cached(r) for r in replies) > 0


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-5.6"])
def test_the_same_requests_in_the_same_order_give_the_same_bytes(model):
    body = json.dumps({"model": model, "messages": ASKED, "max_completion_tokens": 16}).encode()
    headers = {"authorization": "Bearer sk-test-0123456789", "content-type": "application/json"}

    def run() -> list[bytes]:
        engine = make_engine()
        return [engine.handle(Request("POST", "/v1/chat/completions", headers, body)).body for _ in range(3)]

    first = run()
    assert first == run() and json.loads(first[1])["usage"]["prompt_tokens_details"]["cached_tokens"] > 0
