"""Latency profiles (issue 6): off by default; per request or in config; streams paced to match."""

from __future__ import annotations

import json
import time

import openai
import pytest
from conftest import make_engine
from traffic_helpers import chat

from mockapi.core.engine import Request
from mockapi.core.results import Pause
from mockapi.traffic import latency

AUTH = {"authorization": "Bearer sk-test-0123456789", "content-type": "application/json"}


def stream_items(engine, headers=None):  # noqa: ANN001, ANN201
    body = json.dumps({"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "pace me"}]})
    reply = engine.handle(Request("POST", "/v1/chat/completions", {**AUTH, **(headers or {})}, body.encode()))
    assert reply.status == 200
    return list(reply.stream)


def test_off_by_default():
    assert not any(isinstance(i, Pause) for i in stream_items(make_engine()))


def test_per_request_profile_paces_every_event():
    items = stream_items(make_engine(), {"x-mockapi-latency": "ttft=0.3,tps=50,overhead=0.1"})
    assert items[0] == Pause(0.4)  # overhead + time to first token, before the first byte
    frames = [i for i in items if isinstance(i, bytes)]
    pauses = [i for i in items[1:] if isinstance(i, Pause)]
    assert len(pauses) == len(frames) - 1 and set(pauses) == {Pause(1 / 50)}
    assert all(isinstance(a, bytes) != isinstance(b, bytes) for a, b in zip(items[1:], items[2:]))


def test_config_profile_applies_and_plain_bodies_get_the_overhead():
    engine = make_engine(latency="realistic")
    assert stream_items(engine)[0] == Pause(latency.PROFILES["realistic"].overhead + latency.PROFILES["realistic"].ttft)
    reply = engine.handle(Request("GET", "/v1/models", AUTH))
    assert next(reply.stream) == Pause(latency.PROFILES["realistic"].overhead)
    assert json.loads(next(reply.stream))["object"] == "list"


def test_bad_profile_is_a_400(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.models.list(extra_headers={"x-mockapi-latency": "warp=9"})
    assert info.value.body["param"] == "x-mockapi-latency"


def test_time_to_first_token_is_felt_by_the_client(mock):
    started = time.perf_counter()
    stream = chat(mock.client, "hi", stream=True, extra_headers={"x-mockapi-latency": "ttft=0.15"})
    next(iter(stream))
    assert time.perf_counter() - started >= 0.15
    list(stream)
