"""The control plane and its Python client (issue 6), in-process and over HTTP."""

from __future__ import annotations

import openai
import pytest
from conftest import FROZEN_AT, inprocess_clients, make_engine
from traffic_helpers import API_KEY, chat, control, last_seq

from mockapi.control import Client
from mockapi.doors.live import LiveServer
from mockapi.traffic.client import ControlError


def test_state_clock_freeze_and_advance(mock):
    ctl = control(mock)
    assert ctl.state()["clock"] == {"now": FROZEN_AT, "frozen": True}
    assert ctl.advance(90) == FROZEN_AT + 90
    assert chat(mock.client, "what time is it").created == int(FROZEN_AT + 90)
    assert ctl.freeze(1_800_000_000) == 1_800_000_000
    assert mock.engine.clock.now() == 1_800_000_000
    ctl.unfreeze()
    assert not mock.engine.clock.frozen
    mock.engine.clock.freeze(FROZEN_AT)


def test_seed_changes_the_generated_answers(mock):
    ctl = control(mock)
    first = chat(mock.client, "say something").choices[0].message.content
    ctl.seed(12345)
    try:
        assert chat(mock.client, "say something").choices[0].message.content != first
    finally:
        ctl.seed(0)
    assert chat(mock.client, "say something").choices[0].message.content == first


def test_reset_all_or_one_tenant(mock):
    ctl = control(mock)
    other = mock.client.with_options(api_key="sk-other-key-0000000000")
    kept = chat(other, "keep me", store=True)
    dropped = chat(mock.client, "drop me", store=True)
    tenant = mock.engine.traffic.limiter.tenant_of(API_KEY)
    ctl.reset(tenant)
    with pytest.raises(openai.NotFoundError):
        mock.client.chat.completions.retrieve(dropped.id)
    assert other.chat.completions.retrieve(kept.id).id == kept.id
    ctl.add_fault("503", path="/v1/nothing")
    ctl.reset()
    assert ctl.faults() == [] and ctl.journal() == []
    with pytest.raises(openai.NotFoundError):
        other.chat.completions.retrieve(kept.id)


def test_queued_canned_reply_answers_the_next_matching_request(mock):
    ctl = control(mock)
    ctl.queue_reply({"content": "Canned, as asked."}, match={"model": "gpt-4o-mini"}, times=1)
    assert ctl.state()["queued_replies"] == 1
    assert chat(mock.client, "anything").choices[0].message.content == "Canned, as asked."
    assert chat(mock.client, "anything").choices[0].message.content != "Canned, as asked."


def test_fault_rules_add_list_delete(mock):
    ctl = control(mock)
    rule = ctl.add_fault("429 retry-after-ms=1", path="/v1/models", times=1)
    assert [r["id"] for r in ctl.faults()] == [rule["id"]] and rule["fault"]["status"] == 429
    with pytest.raises(openai.RateLimitError):
        mock.client.models.list()
    ctl.delete_fault(rule["id"])
    with pytest.raises(ControlError) as info:
        ctl.delete_fault(rule["id"])
    assert info.value.status == 404
    with pytest.raises(ControlError) as info:
        ctl.add_fault("teapot")
    assert info.value.status == 400


def test_journal_query_filters_and_control_calls_are_not_journaled(mock):
    ctl = control(mock)
    seq = last_seq(mock)
    mock.client.models.list()
    mock.client.models.list(extra_headers={"openai-organization": "org-filter"})
    with pytest.raises(openai.NotFoundError):
        mock.client.models.retrieve("gpt-none")
    ctl.state()
    mine = ctl.journal(since=seq)
    assert [e["path"] for e in mine] == ["/v1/models/gpt-none", "/v1/models", "/v1/models"]
    # Without configured keys an organization header only subdivides the key's own tenant.
    org_tenant = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}", "openai-organization": "org-filter"})[0]
    assert org_tenant.endswith("/org:org-filter/proj:-")
    assert [e["tenant"] for e in ctl.journal(since=seq, tenant=org_tenant)] == [org_tenant]
    assert [e["status"] for e in ctl.journal(since=seq, status="404")] == [404]
    assert len(ctl.journal(since=seq, limit=1)) == 1
    assert ctl.entry(mine[0]["id"])["response_body"]


def test_run_lifecycle_advance_is_a_hook_point(mock):
    seen = []
    advancers = mock.engine.traffic.control.advancers
    advancers.append(lambda body: seen.append(body) or {"runs": 0})
    try:
        result = control(mock).advance_runs(seconds=5, thread_id="thread_1")
    finally:
        advancers.clear()
    assert result["results"] == [{"runs": 0}] and result["now"] == FROZEN_AT + 5
    assert seen == [{"seconds": 5, "thread_id": "thread_1"}]


def test_limits_overrides_are_listed(mock):
    ctl = control(mock)
    ctl.set_limits(API_KEY, rpm=7)
    assert ctl.request("GET", "limits")["data"][0]["rpm"] == 7
    assert mock.client.models.with_raw_response.list().headers["x-ratelimit-limit-requests"] == "7"
    with pytest.raises(ControlError):
        ctl.set_limits(API_KEY, rpmm=1)


def test_unknown_endpoint_and_bad_body(mock):
    ctl = control(mock)
    with pytest.raises(ControlError) as info:
        ctl.request("GET", "nowhere")
    assert info.value.status == 404
    with pytest.raises(ControlError) as info:
        ctl.request("POST", "seed", {"seed": "x"})
    assert info.value.status == 400


def test_non_loopback_without_token_disables_the_control_plane():
    engine = make_engine(host="0.0.0.0")
    with pytest.raises(ControlError) as info:
        Client(engine=engine).state()
    assert info.value.status == 403
    client, _ = inprocess_clients(engine, max_retries=0)
    assert client.models.list().data  # the API itself is unaffected


def test_admin_token_is_required_when_set_over_http():
    engine = make_engine(host="0.0.0.0", admin_token="s3cret-admin")
    with LiveServer(engine) as server:
        with pytest.raises(ControlError) as info:
            Client(server.base_url).state()
        assert info.value.status == 401
        with pytest.raises(ControlError):
            Client(server.base_url, token="wrong").state()
        assert Client(server.base_url, token="s3cret-admin").state()["seed"] == 0
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/_mockapi/ui?token=s3cret-admin") as page:
            assert b"mockapi inspector" in page.read()


def test_journal_feed_sends_the_backlog_then_new_entries():
    engine = make_engine()
    client, _ = inprocess_clients(engine, max_retries=0)
    client.models.list()
    from mockapi.core.engine import Request
    from mockapi.core.results import Pause

    feed = engine.handle(Request("GET", "/_mockapi/journal/events")).stream
    assert next(feed) == b"retry: 1000\n\n"
    assert next(feed).startswith(b"event: entry\ndata: {")
    client.models.retrieve("gpt-4o")
    for item in feed:  # Pauses are the door's to honour; here they are skipped
        if not isinstance(item, Pause) and b"/v1/models/gpt-4o" in item:
            break
    assert engine.traffic.journal.subscriber_count == 1
    feed.close()
    assert engine.traffic.journal.subscriber_count == 0
