"""Usage and costs report what went through the mock: requests and tokens per project, model, key and day."""

from __future__ import annotations

import openai
import pytest
from conftest import FROZEN_AT
from test_admin import admin

DAY = 86400
GPT_4O = {"input": 2.50, "output": 10.00}  # USD per 1M tokens, fixtures/prices.yaml


def _chat(client, text: str, model: str = "gpt-4o"):
    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])


def _results(page):
    return [r for bucket in page.data for r in bucket.results]


def test_usage_counts_the_chat_requests_and_their_reported_tokens(mock):
    answers = [_chat(mock.client, f"Tell me about {topic}.") for topic in ("owls", "rivers", "bread")]
    _chat(mock.client, "And one on a smaller model.", model="gpt-4o-mini")
    page = admin(mock).admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY, group_by=["model"])
    mock.validate("usageCompletions", page)
    assert page.object == "page" and all(b.object == "bucket" for b in page.data)
    by_model = {r.model: r for r in _results(page)}
    assert set(by_model) == {"gpt-4o", "gpt-4o-mini"}
    gpt4o = by_model["gpt-4o"]
    assert gpt4o.object == "organization.usage.completions.result"
    assert gpt4o.num_model_requests == 3
    assert gpt4o.input_tokens == sum(a.usage.prompt_tokens for a in answers)
    assert gpt4o.output_tokens == sum(a.usage.completion_tokens for a in answers)
    assert gpt4o.project_id is None  # not grouped by project


def test_buckets_follow_the_mock_clock_and_bucket_width(mock):
    _chat(mock.client, "day one")
    mock.engine.clock.advance(DAY)
    _chat(mock.client, "day two")
    _chat(mock.client, "day two again")
    a = admin(mock)
    start = int(FROZEN_AT) - int(FROZEN_AT) % DAY
    daily = a.admin.organization.usage.completions(start_time=start, bucket_width="1d")
    assert [b.start_time for b in daily.data] == [start, start + DAY]
    assert [sum(r.num_model_requests for r in b.results) for b in daily.data] == [1, 2]
    hourly = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) + DAY - 3600, bucket_width="1h", limit=2)
    assert all(b.end_time - b.start_time == 3600 for b in hourly.data)
    assert sum(r.num_model_requests for r in _results(hourly)) == 2


def test_usage_is_per_project_and_per_key(mock):
    _chat(mock.client, "default project")
    _chat(mock.client.with_options(default_headers={"OpenAI-Project": "proj_analytics"}), "analytics")
    a = admin(mock)
    page = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY, group_by=["project_id", "api_key_id"])
    rows = {r.project_id: r for r in _results(page)}
    default = next(p for p in a.admin.organization.projects.list() if p.name == "Default project")
    assert set(rows) == {default.id, "proj_analytics"}
    assert all(r.num_model_requests == 1 for r in rows.values())
    keys = list(a.admin.organization.projects.api_keys.list(default.id))
    assert [k.id for k in keys] == [rows[default.id].api_key_id]
    assert keys[0].redacted_value.endswith(mock.client.api_key[-4:]) and keys[0].last_used_at == int(FROZEN_AT)
    only = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY, project_ids=["proj_analytics"])
    assert sum(r.num_model_requests for r in _results(only)) == 1


def test_a_reset_within_the_same_second_starts_the_organization_over(mock):
    # The recorder remembers which organizations, keys and usage groups it has already written (the clock is
    # frozen, so every call falls in one second): a reset must make it write them again.
    _chat(mock.client, "before the reset")
    mock.engine.reset()
    _chat(mock.client, "after the reset")
    a = admin(mock)
    page = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY, group_by=["project_id", "api_key_id"])
    rows = _results(page)
    assert len(rows) == 1 and rows[0].num_model_requests == 1
    default = next(p for p in a.admin.organization.projects.list() if p.name == "Default project")
    keys = list(a.admin.organization.projects.api_keys.list(default.id))
    assert [k.id for k in keys] == [rows[0].api_key_id] and keys[0].last_used_at == int(FROZEN_AT)


def test_streams_are_counted_when_they_end(mock):
    stream = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "stream it"}],
                                                 stream=True, stream_options={"include_usage": True})
    usage = [chunk.usage for chunk in stream if chunk.usage][-1]
    rows = _results(admin(mock).admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY))
    assert [(r.num_model_requests, r.input_tokens, r.output_tokens) for r in rows] == [
        (1, usage.prompt_tokens, usage.completion_tokens)]


def test_embeddings_usage_and_admin_calls_are_not_model_traffic(mock):
    mock.client.embeddings.create(model="text-embedding-3-small", input=["one", "two"])
    a = admin(mock)
    a.admin.organization.projects.create(name="not traffic")
    rows = _results(a.admin.organization.usage.embeddings(start_time=int(FROZEN_AT) - DAY))
    assert len(rows) == 1 and rows[0].num_model_requests == 1 and rows[0].input_tokens > 0
    assert _results(a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY)) == []


def test_costs_are_the_counted_tokens_at_the_table_prices(mock):
    answers = [_chat(mock.client, f"price {i}") for i in range(3)]
    page = admin(mock).admin.organization.usage.costs(start_time=int(FROZEN_AT) - DAY, group_by=["line_item"])
    mock.validate("usageCosts", page)
    items = {r.line_item: r for r in _results(page)}
    assert set(items) == {"gpt-4o, input", "gpt-4o, output"}
    prompt = sum(a.usage.prompt_tokens for a in answers)
    completion = sum(a.usage.completion_tokens for a in answers)
    assert items["gpt-4o, input"].amount.value == pytest.approx(prompt * GPT_4O["input"] / 1e6)
    assert items["gpt-4o, output"].amount.value == pytest.approx(completion * GPT_4O["output"] / 1e6)
    assert all(r.amount.currency == "usd" and r.amount.value > 0 for r in items.values())
    total = _results(admin(mock).admin.organization.usage.costs(start_time=int(FROZEN_AT) - DAY))
    assert len(total) == 1 and total[0].amount.value == pytest.approx(sum(r.amount.value for r in items.values()))


def test_usage_refuses_what_the_api_refuses(mock):
    a = admin(mock)
    with pytest.raises(openai.BadRequestError) as info:
        a.admin.organization.usage.costs(start_time=0, extra_query={"bucket_width": "1h"})
    assert info.value.body["param"] == "bucket_width"
    with pytest.raises(openai.BadRequestError) as info:
        a.admin.organization.usage.completions(start_time=0, group_by=["colour"])  # type: ignore[list-item]
    assert info.value.body["param"] == "group_by"
    with pytest.raises(openai.BadRequestError) as info:  # the SDK insists on start_time; an empty one reaches the server
        a.admin.organization.usage.completions(start_time=0, extra_query={"start_time": ""})
    assert (info.value.body["param"], info.value.body["code"]) == ("start_time", "missing_required_parameter")
    with pytest.raises(openai.BadRequestError) as info:
        a.admin.organization.usage.completions(start_time=0, bucket_width="1d", limit=32)
    assert info.value.body["message"] == "Invalid 'limit': integer above maximum value. Expected a value <= 31, but got 32 instead."
    assert (info.value.body["param"], info.value.body["code"]) == ("limit", "integer_above_max_value")


def test_pages_continue_with_next_page(mock):
    a = admin(mock)
    first = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - 3 * DAY, limit=2)
    assert first.has_more is True and first.next_page
    rest = a.admin.organization.usage.completions(start_time=int(FROZEN_AT) - 3 * DAY, limit=2, page=first.next_page)
    assert rest.data[0].start_time == first.data[-1].end_time


def test_two_engines_on_one_redis_report_the_same_usage(tmp_path_factory):
    pytest.importorskip("redis", reason="the redis client package is not installed (pip install '.[redis]')")
    from conftest import inprocess_clients
    from services import redis_server

    from mockapi.assembly import build_engine
    from mockapi.core.clock import Clock
    from mockapi.core.config import Settings

    servers = redis_server(tmp_path_factory)
    url = next(servers)
    try:
        first, second = (build_engine(Settings(store=url), clock=Clock(frozen_at=FROZEN_AT)) for _ in range(2))
        first.store.reset()
        client_a, _ = inprocess_clients(first, max_retries=0)
        client_b, _ = inprocess_clients(second, max_retries=0)
        _chat(client_a, "worker one")
        _chat(client_b, "worker two")
        for client in (client_a, client_b):
            page = client.with_options(admin_api_key="sk-admin-0123456789abcdef").admin.organization.usage.completions(
                start_time=int(FROZEN_AT) - DAY)
            assert sum(r.num_model_requests for r in _results(page)) == 2
        first.store.close()
        second.store.close()
    finally:
        servers.close()


def test_a_stream_without_a_usage_chunk_counts_the_tokens_it_streamed(mock):
    plain = _chat(mock.client, "same words")
    mock.engine.reset()
    stream = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "same words"}],
                                                 stream=True)
    assert not [chunk for chunk in stream if chunk.usage]
    rows = _results(admin(mock).admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY))
    assert [(r.input_tokens, r.output_tokens) for r in rows] == [(plain.usage.prompt_tokens, plain.usage.completion_tokens)]


def test_responses_count_as_completions_usage_and_streams_count_once(mock):
    answer = mock.client.responses.create(model="gpt-4o", input="Count me.")
    streamed = mock.client.responses.create(model="gpt-4o", input="Count me too.", stream=True)
    completed = [e for e in streamed if e.type == "response.completed"][0].response
    rows = _results(admin(mock).admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY))
    assert [(r.num_model_requests, r.input_tokens, r.output_tokens) for r in rows] == [
        (2, answer.usage.input_tokens + completed.usage.input_tokens, answer.usage.output_tokens + completed.usage.output_tokens)]


def test_configured_keys_count_in_their_organization_and_project():
    from conftest import inprocess_clients

    from mockapi.assembly import build_engine
    from mockapi.core.clock import Clock
    from mockapi.core.config import KeyInfo, Settings

    keys = {"team-a-key": KeyInfo(organization="org-acme", project="proj_team_a"),
            "acme-admin": KeyInfo(organization="org-acme", admin=True),
            "other-admin": KeyInfo(organization="org-other", admin=True)}
    engine = build_engine(Settings(keys=keys), clock=Clock(frozen_at=FROZEN_AT))
    client, _ = inprocess_clients(engine, max_retries=0)
    _chat(client.with_options(api_key="team-a-key"), "hello from team a")
    acme = client.with_options(admin_api_key="acme-admin").admin.organization.usage.completions(
        start_time=int(FROZEN_AT) - DAY, group_by=["project_id"])
    assert [(r.project_id, r.num_model_requests) for r in _results(acme)] == [("proj_team_a", 1)]
    other = client.with_options(admin_api_key="other-admin").admin.organization.usage.completions(start_time=int(FROZEN_AT) - DAY)
    assert _results(other) == []


def test_a_start_time_ages_back_gives_one_page_not_every_bucket_since(mock):
    # Found by the fuzzer: start_time=-1.4e16 listed billions of day buckets before slicing a page (MemoryError, 500).
    page = admin(mock).admin.organization.usage.completions(start_time=-14_321_076_907_879_416, limit=3)
    assert len(page.data) == 3 and page.has_more is True
    assert page.data[1].start_time - page.data[0].start_time == DAY


@pytest.mark.parametrize("start", [-14576269432986774490054656, "9" * 5000])
def test_a_start_time_past_any_timestamp_is_a_400_naming_it(mock, start):
    # Found by the fuzzer: a start_time past 64 bits made a bucket JSON could not write (TypeError, 500), and 5,000
    # digits are past what int() reads.
    with pytest.raises(openai.BadRequestError) as caught:
        admin(mock).admin.organization.usage.completions(start_time=start)
    assert caught.value.body["param"] == "start_time"


def test_an_audit_bound_past_any_timestamp_filters_nothing_out(mock):
    logs = admin(mock).admin.organization.audit_logs.list(extra_query={"effective_at[gt]": "9" * 5000})
    assert logs.data is not None


def test_usage_counted_from_many_threads_in_batches_is_exact_and_a_reset_drops_it(monkeypatch):
    # With the memory store the recorder adds counts in batches (recorder.Memo.fold): readers and resets see every
    # request answered before them, whichever thread answered it and however the batches fell.
    import json
    import threading

    from conftest import make_engine

    from mockapi.api.admin import recorder
    from mockapi.core.engine import Request

    monkeypatch.setattr(recorder.Memo, "BATCH", 7)
    engine = make_engine()
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "count me"}]}).encode()
    headers = {"authorization": "Bearer sk-test-0123456789", "content-type": "application/json"}

    def counted() -> int:
        return sum(r["num_model_requests"] for b in _page(engine)["data"] for r in b["results"])

    def work() -> None:
        for _ in range(25):
            assert engine.handle(Request("POST", "/v1/chat/completions", headers, body)).status == 200

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted() == 100
    work()
    engine.reset("admin:org-mockapi")
    assert counted() == 0
    work()
    assert counted() == 25


def _page(engine) -> dict:  # noqa: ANN001
    import json

    from mockapi.core.engine import Request

    reply = engine.handle(Request("GET", "/v1/organization/usage/completions",
                                  {"authorization": "Bearer sk-admin-0123456789abcdef"}, query=f"start_time={int(FROZEN_AT) - DAY}"))
    assert reply.status == 200, reply.body
    return json.loads(reply.body)
