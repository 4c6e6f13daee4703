"""The request journal (issue 6): what it records, redaction, bounds, live subscription."""

from __future__ import annotations

import gc
import json

import openai
import pytest
from conftest import make_engine
from traffic_helpers import chat, control, entries_since, last_seq

from mockapi.core.engine import Request

SECRETS = [
    "sk-proj-Abc123def456GHI789jkl012MNO345pqr678",
    "sk-svcacct-Zyx987wvu654TSR321qpo098NML765kji",
    "sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH",
]


def test_records_method_path_status_tenant_bodies_and_retry_count(mock):
    seq = last_seq(mock)
    completion = chat(mock.client, "remember this request")
    with pytest.raises(openai.NotFoundError):
        mock.client.models.retrieve("gpt-nope")
    ok, missing = entries_since(mock, seq)
    assert (ok.method, ok.path, ok.status, ok.operation) == ("POST", "/v1/chat/completions", 200, "createChatCompletion")
    assert ok.tenant.startswith("key:") and ok.retry_count == 0 and ok.done
    assert json.loads(ok.request_body)["messages"][0]["content"] == "remember this request"
    assert json.loads(ok.response_body)["id"] == completion.id
    assert ok.id == dict(ok.response_headers)["x-request-id"]
    assert (missing.status, missing.path) == (404, "/v1/models/gpt-nope")
    listed = control(mock).journal(path="/v1/models/", status="4xx")
    assert listed[0]["id"] == missing.id and all(e["status"] >= 400 for e in listed)
    assert control(mock).entry(ok.id)["request_body"] == ok.request_body


def test_stream_frames_are_recorded_as_sent(mock):
    seq = last_seq(mock)
    chunks = list(chat(mock.client, "stream please", stream=True))
    entry = entries_since(mock, seq)[-1]
    assert entry.stream and entry.done
    assert entry.frames[-1] == "data: [DONE]\n\n"
    assert len(entry.frames) == len(chunks) + 1


def test_contract_violations_of_the_request_are_recorded(mock):
    seq = last_seq(mock)
    with pytest.raises(openai.BadRequestError):
        mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}], temperature=7)
    entry = entries_since(mock, seq)[-1]
    assert entry.status == 400 and entry.violations and entry.violations[0].startswith("temperature")
    assert control(mock).journal(status="400")[0]["violations"] == entry.violations
    with pytest.raises(openai.BadRequestError):
        mock.client.models.list(extra_headers={"x-mockapi-fault": "400"})
    assert entries_since(mock, seq)[-1].violations == []  # an injected 400 is not the client's fault


def test_journal_never_holds_an_unredacted_key(mock):
    seq = last_seq(mock)
    for secret in SECRETS:
        client = mock.client.with_options(api_key=secret)
        chat(client, f"my key is {secret}, keep it safe")
        list(chat(client, f"again {secret}", stream=True))
        with pytest.raises(openai.BadRequestError):
            client.models.list(extra_headers={"x-mockapi-fault": "400", "api-key": secret}, extra_query={"k": secret})
    assert len(entries_since(mock, seq)) == 3 * len(SECRETS)
    dumped = json.dumps([e.to_dict() for e in mock.engine.traffic.journal.query(limit=10_000)])
    dumped += json.dumps(control(mock).journal(full=True))
    for secret in SECRETS:
        assert secret not in dumped
        assert secret[-4:] in dumped  # masked, not dropped: the tail still tells keys apart
    assert "sk-proj-****" in dumped and "sk-svcacct-****" in dumped


def test_the_ring_keeps_only_the_newest_entries():
    engine = make_engine(journal_size=5)
    for i in range(12):
        engine.handle(Request("GET", f"/v1/models/gpt-{i}", {"authorization": "Bearer sk-test-0123456789"}))
    entries = engine.traffic.journal.query()
    assert len(entries) == 5 and [e.path for e in entries][0] == "/v1/models/gpt-11"


def test_subscribers_hear_every_new_entry_until_they_leave(mock):
    heard = []
    unsubscribe = mock.engine.traffic.journal.subscribe(heard.append)
    mock.client.models.list()
    unsubscribe()
    mock.client.models.list()
    assert len(heard) == 1 and heard[0].path == "/v1/models"


def test_nothing_grows_without_bound_over_10000_requests():
    engine = make_engine(journal_size=200)
    journal, store = engine.traffic.journal, engine.store
    engine.traffic.faults.add_rule("503", path="/v1/models/gpt-4o-mini", probability=0.3)
    keys = [f"sk-load-{n:020d}" for n in range(8)]
    paths = ["/v1/models/gpt-4o", "/v1/models/gpt-4o-mini", "/v1/models/nope", "/v1/unknown"]
    sizes = []
    for i in range(10_000):
        headers = {"authorization": f"Bearer {keys[i % len(keys)]}"}
        if i % 50 == 0:
            headers["x-mockapi-fault"] = "429 retry-after-ms=5"
        reply = engine.handle(Request("GET", paths[i % len(paths)], headers))
        assert reply.status in (200, 404, 429, 503)
        engine.clock.advance(7)  # windows keep turning: 10,000 requests span about 19 hours
        if i in (4_999, 9_999):
            gc.collect()
            sizes.append((len(journal), len(store._counters), len(gc.get_objects())))
    (j1, c1, o1), (j2, c2, o2) = sizes
    assert j1 == j2 == 200
    assert c2 <= store.SWEEP_AT * 2 and c2 <= c1 * 2
    assert o2 - o1 < 2_000, f"{o2 - o1} more live objects after the second 5,000 requests"
    assert journal.subscriber_count == 0 and len(engine.traffic.faults.rules()) == 1


def test_an_entry_read_while_its_stream_runs_shows_every_frame_redacted_in_order():
    # The journal keeps raw bytes and redacts them when read: a read half way, then the rest, must agree.
    from mockapi.core.results import Reply

    engine = make_engine()
    journal = engine.traffic.journal
    secret = SECRETS[0]
    frames = [f"data: {i} {secret}\n\n".encode() for i in range(6)]
    reply = Reply(200, [("x-request-id", "req_midway"), ("authorization", f"Bearer {secret}")], stream=iter(frames))
    journal.observe(Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {secret}"},
                            f'{{"key": "{secret}"}}'.encode(), f"token={secret}"), None, reply)
    entry = journal.get("req_midway")
    for _ in range(3):
        next(reply.stream)
    assert entry.frames == [f"data: {i} sk-proj-****r678\n\n" for i in range(3)]
    for _ in reply.stream:
        pass
    assert entry.frames == [f"data: {i} sk-proj-****r678\n\n" for i in range(6)] and entry.done
    dumped = json.dumps(entry.to_dict())
    assert secret not in dumped and dumped.count("sk-proj-****r678") == 6 + 2 + 1 + 1  # frames, both headers, body, query
