"""Matching on meaning: volatile fields ignored; exact, subset and regex fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from recording_helpers import client_of, recording_engine

from mockapi.recording.fixture import Fixture
from mockapi.recording.match import candidates, closest, contains, matches

REQUEST = {"operation": "createChatCompletion",
           "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "What is the weather in Paris?"}]}}


def fixture(mode: str, request: dict) -> Fixture:
    return Fixture("createChatCompletion", {"mode": mode, "request": request}, {}, {"status": 200, "body": {}})


def test_exact_subset_and_regex() -> None:
    assert matches(fixture("exact", REQUEST), REQUEST)
    assert not matches(fixture("exact", {**REQUEST, "body": {**REQUEST["body"], "temperature": 0}}), REQUEST)
    assert matches(fixture("subset", {"operation": "createChatCompletion", "body": {"model": "gpt-4o-mini"}}), REQUEST)
    assert not matches(fixture("subset", {"operation": "createChatCompletion", "body": {"model": "gpt-4o"}}), REQUEST)
    pattern = {"operation": "createChatCompletion", "body": {"messages": [{"content": ".*weather in \\w+\\?"}]}}
    assert matches(fixture("regex", pattern), REQUEST)
    assert not matches(fixture("regex", {**pattern, "body": {"messages": [{"content": "weather"}]}}), REQUEST)  # full match
    assert not contains({"messages": [{}]}, {"messages": [{}, {}]})  # lists match item by item


def test_exact_fixtures_win_over_subset_ones_and_closest_names_the_difference() -> None:
    loose, tight = fixture("subset", {"operation": "createChatCompletion"}), fixture("exact", REQUEST)
    assert candidates([loose, tight], REQUEST) == [tight, loose]
    other = {**REQUEST, "body": {**REQUEST["body"], "model": "gpt-4o"}}
    best, differs = closest([tight], other)
    assert best is tight and differs == ["body.model"]


def test_volatile_fields_do_not_change_the_match(tmp_path: Path) -> None:
    (tmp_path / "0001-createChatCompletion.json").write_text(json.dumps({
        "operation": "createChatCompletion", "match": {"mode": "exact", "request": REQUEST},
        "response": {"status": 200, "headers": [["content-type", "application/json"]], "body": {
            "id": "chatcmpl-recorded", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": "Sunny.", "refusal": None}}],
            "usage": {"prompt_tokens": 8, "completion_tokens": 2, "total_tokens": 10}}}}))
    client = client_of(recording_engine(tmp_path, "replay", strict=True))
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=REQUEST["body"]["messages"], user="someone",
                                           prompt_cache_key="abc", extra_headers={"x-stainless-retry-count": "3"})
    assert reply.id == "chatcmpl-recorded" and reply.usage.total_tokens == 10


def test_a_hand_written_subset_fixture_answers_any_matching_request(tmp_path: Path) -> None:
    (tmp_path / "0001-any.json").write_text(json.dumps({
        "operation": "createEmbedding", "match": {"mode": "regex", "request": {"body": {"input": "hello.*"}}},
        "response": {"status": 200, "headers": [["content-type", "application/json"]], "body": {
            "object": "list", "model": "text-embedding-3-small", "usage": {"prompt_tokens": 1, "total_tokens": 1},
            "data": [{"object": "embedding", "index": 0, "embedding": [0.5, 0.25]}]}}}))
    client = client_of(recording_engine(tmp_path, "replay", strict=True))
    for text in ("hello", "hello world"):
        assert client.embeddings.create(model="text-embedding-3-small", input=text).data[0].embedding == [0.5, 0.25]
