"""Every call is its own object: identical requests give the same answer under ids of their own, stored
objects never merge, and the same sequence of requests gives the same ids run after run."""

from __future__ import annotations

import re

import pytest
from conftest import inprocess_clients, make_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapi.core import engine as engine_module

QUESTION = [{"role": "user", "content": "Name three rivers in Europe."}]
REQUEST_ID = re.compile(r"^req_[0-9a-f]{32}$")


def _stored_chats(mock, n: int) -> list:
    return [mock.client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION, store=True) for _ in range(n)]


def test_identical_stored_chat_completions_are_separate_objects(mock):
    made = _stored_chats(mock, 5)
    assert len({c.id for c in made}) == 5
    assert len({c.choices[0].message.content for c in made}) == 1  # same question, same answer
    listed = mock.client.chat.completions.list(limit=100).data
    assert sorted(c.id for c in listed) == sorted(c.id for c in made)
    for completion in made:
        assert mock.client.chat.completions.retrieve(completion.id).id == completion.id
        assert len(mock.client.chat.completions.messages.list(completion.id).data) == 1


def test_a_store_false_twin_leaves_the_stored_completion_alone(mock):
    stored = mock.client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION, store=True, metadata={"run": "a"})
    twin = mock.client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION, store=False)
    assert twin.id != stored.id
    kept = mock.client.chat.completions.retrieve(stored.id)
    assert kept.metadata == {"run": "a"} and [c.id for c in mock.client.chat.completions.list().data] == [stored.id]


def test_identical_stored_responses_are_separate_objects(mock):
    made = [mock.client.responses.create(model="gpt-4o-mini", input="Name three rivers.", store=True) for _ in range(4)]
    assert len({r.id for r in made}) == 4 and len({r.output[0].id for r in made}) == 4
    assert len({r.output_text for r in made}) == 1
    for response in made:
        got = mock.client.responses.retrieve(response.id)
        assert got.id == response.id and got.output[0].id == response.output[0].id
        assert mock.client.responses.input_items.list(response.id).data[0].id.startswith("msg_")
    assert len({mock.client.responses.input_items.list(r.id).data[0].id for r in made}) == 4


def test_a_store_false_response_twin_leaves_the_stored_one_alone(mock):
    stored = mock.client.responses.create(model="gpt-4o-mini", input="Name three rivers.", store=True)
    twin = mock.client.responses.create(model="gpt-4o-mini", input="Name three rivers.", store=False)
    assert twin.id != stored.id and twin.output[0].id != stored.output[0].id
    kept = mock.client.responses.retrieve(stored.id)
    assert kept.model_dump() == stored.model_dump()
    # Chaining on the stored response still works: its output item was not marked as unstored by the twin.
    follow = mock.client.responses.create(model="gpt-4o-mini", previous_response_id=stored.id, input="And one more?")
    assert follow.previous_response_id == stored.id


def test_identical_tool_calls_get_their_own_call_ids(mock):
    weather = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
    ask = [{"role": "user", "content": "What's the weather in Oslo?"}]
    one, two = (mock.client.chat.completions.create(model="gpt-4o", messages=ask, tools=[weather]) for _ in range(2))
    calls_one, calls_two = one.choices[0].message.tool_calls, two.choices[0].message.tool_calls
    assert [c.function.arguments for c in calls_one] == [c.function.arguments for c in calls_two]
    assert {c.id for c in calls_one}.isdisjoint(c.id for c in calls_two)



def test_responses_output_ids_have_the_real_shapes_and_a_twin_gets_its_own(mock):
    """Output items: prefix + 50 hex digits (msg_045d5195f1ed…, fc_0f0e50a1…); call ids: call_ + 24 letters and digits."""
    weather = {"type": "function", "name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    asks = [{"input": "What's the weather in Oslo?", "tools": [weather], "tool_choice": "required"}, {"input": "Say hello."}]
    for ask in asks:
        one, two = (mock.client.responses.create(model="gpt-4o", **ask) for _ in range(2))
        for response in (one, two):
            for item in response.output:
                assert re.fullmatch(r"(msg|fc)_[0-9a-f]{50}", item.id), item.id
                if item.type == "function_call":
                    assert re.fullmatch(r"call_[A-Za-z0-9]{24}", item.call_id), item.call_id
        assert {i.id for i in one.output}.isdisjoint(i.id for i in two.output)

def _sequence(client) -> list[str]:
    """A fixed sequence of calls; the ids (and request ids) it produced."""
    ids = []
    for _ in range(3):
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=QUESTION, store=True)
        ids += [raw.parse().id, raw.headers["x-request-id"]]
    for _ in range(2):
        ids.append(client.responses.create(model="gpt-4o-mini", input="Name three rivers.").id)
    return ids


def test_the_same_sequence_gives_the_same_ids_on_two_engines():
    first, _ = inprocess_clients(make_engine(seed=11), max_retries=0)
    second, _ = inprocess_clients(make_engine(seed=11), max_retries=0)
    other, _ = inprocess_clients(make_engine(seed=12), max_retries=0)
    ids = _sequence(first)
    assert ids == _sequence(second)
    assert len(set(ids)) == len(ids)
    assert set(ids).isdisjoint(_sequence(other))


def test_a_tenant_reset_starts_the_ids_over(mock):
    before = [c.id for c in _stored_chats(mock, 2)]
    mock.engine.reset()
    assert [c.id for c in _stored_chats(mock, 2)] == before


def test_request_ids_differ_between_workers(monkeypatch):
    engines = []
    for pid in (4101, 4102):
        monkeypatch.setattr(engine_module.os, "getpid", lambda pid=pid: pid)
        engines.append(make_engine(workers=2))
    seen = []
    for engine in engines:
        client, _ = inprocess_clients(engine, max_retries=0)
        seen.append([client.models.with_raw_response.list().headers["x-request-id"] for _ in range(3)])
    assert all(REQUEST_ID.match(i) for ids in seen for i in ids)
    assert set(seen[0]).isdisjoint(seen[1]) and len(set(seen[0])) == 3


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=1, max_value=8))
def test_n_identical_stored_requests_give_n_objects(mock, n):
    mock.engine.reset()
    chats = _stored_chats(mock, n)
    assert len({c.id for c in chats}) == n
    assert len(mock.client.chat.completions.list(limit=100).data) == n
    responses = [mock.client.responses.create(model="gpt-4o-mini", input="Name three rivers.", store=True) for _ in range(n)]
    assert len({r.id for r in responses}) == n
    assert {mock.client.responses.retrieve(r.id).id for r in responses} == {r.id for r in responses}


@pytest.mark.parametrize("kind", ["completions", "moderations"])
def test_unstored_kinds_still_get_an_id_per_call(mock, kind):
    if kind == "completions":
        made = [mock.client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once", max_tokens=5) for _ in range(2)]
        assert made[0].choices[0].text == made[1].choices[0].text
    else:
        made = [mock.client.moderations.create(model="omni-moderation-latest", input="hello") for _ in range(2)]
        assert made[0].results == made[1].results
    assert made[0].id != made[1].id
