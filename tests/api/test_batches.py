"""Batches: a JSONL file answered line by line by the engine, the status machine on the mock clock,
the output and error files, cancel, expiry and the refusals (sources in mockapi/api/batches/)."""

from __future__ import annotations

import io
import json
from typing import Any

import openai
import pytest

CHAT = "/v1/chat/completions"
POLLS = {"x-mockapi-progress": "polls:1"}


def _upload(mock, rows: list[Any], purpose: str = "batch") -> str:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"
    return mock.client.files.create(file=("requests.jsonl", io.BytesIO(text.encode())), purpose=purpose).id


def _chat_line(i: int, **body: Any) -> dict[str, Any]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Name a fruit, number {i}."}], **body}
    return {"custom_id": f"line-{i}", "method": "POST", "url": CHAT, "body": body}


def _jsonl(mock, file_id: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in mock.client.files.content(file_id).text.splitlines()]


def test_a_batch_of_100_chat_lines_completes_with_the_live_answers(mock):
    good = [_chat_line(i, **({"temperature": 0.2} if i % 2 else {})) for i in range(100)]
    bad = [_chat_line(100, messages=[]),  # the endpoint refuses these: the error file holds them
           _chat_line(101, messages=[{"role": "wizard", "content": "hi"}]),
           _chat_line(102, temperature=7)]
    input_id = _upload(mock, good[:50] + bad + good[50:])
    batch = mock.client.batches.create(input_file_id=input_id, endpoint=CHAT, completion_window="24h",
                                       metadata={"job": "nightly"})
    assert batch.id.startswith("batch_") and batch.status == "validating" and batch.object == "batch"
    assert batch.request_counts.total == 0 and batch.output_file_id is None and batch.metadata == {"job": "nightly"}
    assert batch.expires_at == batch.created_at + 86400
    mock.validate("createBatch", batch)

    done = mock.client.batches.retrieve(batch.id)
    mock.validate("retrieveBatch", done)
    assert done.status == "completed" and done.model == "gpt-4o-mini"
    assert (done.request_counts.total, done.request_counts.completed, done.request_counts.failed) == (103, 100, 3)
    assert done.in_progress_at is not None and done.finalizing_at is not None and done.completed_at is not None
    output = _jsonl(mock, done.output_file_id)
    assert [line["custom_id"] for line in output] == [g["custom_id"] for g in good]
    for row, line in zip(good, output):
        assert line["id"].startswith("batch_req_") and line["error"] is None
        assert line["response"]["status_code"] == 200 and line["response"]["request_id"]
        live = mock.client.chat.completions.create(**row["body"])
        answer = openai.types.chat.ChatCompletion.model_validate(line["response"]["body"])
        assert answer.choices[0].message.content == live.choices[0].message.content
        assert answer.usage == live.usage and answer.model == live.model
    assert done.usage.input_tokens == sum(line["response"]["body"]["usage"]["prompt_tokens"] for line in output)

    errors = {line["custom_id"]: line for line in _jsonl(mock, done.error_file_id)}
    assert sorted(errors) == ["line-100", "line-101", "line-102"]
    for row in bad:
        with pytest.raises(openai.APIStatusError) as live_error:
            mock.client.chat.completions.create(**row["body"])
        line = errors[row["custom_id"]]
        assert line["error"] is None  # the failure is the response's (observed: openai/openai-openapi#302)
        assert line["response"]["status_code"] == live_error.value.status_code
        assert line["response"]["body"] == {"error": live_error.value.body}
    output_file = mock.client.files.retrieve(done.output_file_id)
    assert output_file.purpose == "batch_output" and output_file.filename == f"{batch.id}_output.jsonl"


def test_responses_and_embeddings_batches_answer_like_their_endpoints(mock):
    rows = [{"custom_id": "r1", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4o-mini", "input": "Hello"}}]
    done = mock.client.batches.retrieve(mock.client.batches.create(
        input_file_id=_upload(mock, rows), endpoint="/v1/responses", completion_window="24h").id)
    body = _jsonl(mock, done.output_file_id)[0]["response"]["body"]
    assert body["object"] == "response" and body["status"] == "completed"
    assert body["output_text"] if "output_text" in body else body["output"]
    assert mock.client.responses.create(model="gpt-4o-mini", input="Hello").output_text == \
        openai.types.responses.Response.model_validate(body).output_text
    rows = [{"custom_id": "e1", "method": "POST", "url": "/v1/embeddings",
             "body": {"model": "text-embedding-3-small", "input": "hi", "encoding_format": "float"}}]
    done = mock.client.batches.retrieve(mock.client.batches.create(
        input_file_id=_upload(mock, rows), endpoint="/v1/embeddings", completion_window="24h").id)
    vector = _jsonl(mock, done.output_file_id)[0]["response"]["body"]["data"][0]["embedding"]
    live = mock.client.embeddings.create(model="text-embedding-3-small", input="hi", encoding_format="float")
    assert vector == live.data[0].embedding


def test_a_malformed_file_fails_while_validating_with_each_error(mock):
    rows = [_chat_line(1), "{not json", _chat_line(1), {"custom_id": "x", "method": "POST", "url": "/v1/embeddings", "body": {}},
            {"method": "POST", "url": CHAT, "body": {}}, _chat_line(5, model="gpt-4o")]
    batch = mock.client.batches.create(input_file_id=_upload(mock, rows), endpoint=CHAT, completion_window="24h")
    failed = mock.client.batches.retrieve(batch.id)
    mock.validate("retrieveBatch", failed)
    assert failed.status == "failed" and failed.failed_at is not None and failed.errors.object == "list"
    found = [(e.code, e.line, e.param) for e in failed.errors.data]
    assert found == [("invalid_json_line", 2, None), ("duplicate_custom_id", 3, "custom_id"), ("url_mismatch", 4, "url"),
                     ("missing_required_parameter", 5, "custom_id"), ("model_mismatch", 6, "body.model")]
    assert failed.errors.data[0].message == "This line is not parseable as valid JSON."
    assert failed.output_file_id is None and failed.error_file_id is None and failed.in_progress_at is None


def test_an_empty_file_fails_with_empty_file(mock):
    empty = mock.client.files.create(file=("e.jsonl", io.BytesIO(b"\n")), purpose="batch").id
    failed = mock.client.batches.retrieve(mock.client.batches.create(input_file_id=empty, endpoint=CHAT,
                                                                      completion_window="24h").id)
    assert failed.status == "failed" and [e.code for e in failed.errors.data] == ["empty_file"]


def test_steps_follow_the_progress_rule(mock):
    batch = mock.client.batches.create(input_file_id=_upload(mock, [_chat_line(1)]), endpoint=CHAT,
                                       completion_window="24h", extra_headers=POLLS)
    seen = [mock.client.batches.retrieve(batch.id).status for _ in range(3)]
    assert seen == ["in_progress", "finalizing", "completed"]
    ticking = mock.client.batches.create(input_file_id=_upload(mock, [_chat_line(2)]), endpoint=CHAT,
                                         completion_window="24h", extra_headers={"x-mockapi-progress": "seconds:10"})
    assert mock.client.batches.retrieve(ticking.id).status == "validating"
    mock.engine.clock.advance(25)
    now = mock.client.batches.retrieve(ticking.id)
    assert now.status == "finalizing" and now.in_progress_at == ticking.created_at + 10
    assert now.finalizing_at == ticking.created_at + 20 and now.request_counts.completed == 1


def test_cancel_moves_through_cancelling_to_cancelled(mock):
    batch = mock.client.batches.create(input_file_id=_upload(mock, [_chat_line(1), _chat_line(2)]), endpoint=CHAT,
                                       completion_window="24h", extra_headers=POLLS)
    cancelling = mock.client.batches.cancel(batch.id)
    mock.validate("cancelBatch", cancelling)
    assert cancelling.status == "cancelling" and cancelling.cancelling_at is not None
    cancelled = mock.client.batches.retrieve(batch.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None and cancelled.output_file_id is None
    assert mock.client.batches.cancel(batch.id).status == "cancelled"  # a finished batch is returned as it is


def test_a_batch_past_its_window_expires_with_every_request_in_the_error_file(mock):
    batch = mock.client.batches.create(input_file_id=_upload(mock, [_chat_line(1), _chat_line(2)]), endpoint=CHAT,
                                       completion_window="24h", extra_headers=POLLS)
    assert mock.client.batches.retrieve(batch.id).status == "in_progress"
    mock.engine.clock.advance(24 * 3600)
    expired = mock.client.batches.retrieve(batch.id)
    assert expired.status == "expired" and expired.expired_at == batch.expires_at
    assert (expired.request_counts.total, expired.request_counts.completed, expired.request_counts.failed) == (2, 0, 2)
    lines = _jsonl(mock, expired.error_file_id)
    assert [line["custom_id"] for line in lines] == ["line-1", "line-2"]
    assert lines[0]["response"] is None and lines[0]["error"] == {
        "code": "batch_expired", "message": "This request could not be executed before the completion window expired."}


def test_list_paginates_newest_first(mock):
    file_id = _upload(mock, [_chat_line(1)])
    ids = [mock.client.batches.create(input_file_id=file_id, endpoint=CHAT, completion_window="24h").id for _ in range(3)]
    assert len(set(ids)) == 3
    page = mock.client.batches.list(limit=2)
    mock.validate("listBatches", page)
    assert [b.id for b in page.data] == ids[::-1][:2] and page.has_more
    rest = mock.client.batches.list(limit=2, after=page.data[-1].id)
    assert [b.id for b in rest.data] == ids[:1] and not rest.has_more
    assert [b.id for b in mock.client.batches.list()] == ids[::-1]


def test_refusals_name_their_parameter(mock):
    good = _upload(mock, [_chat_line(1)])
    with pytest.raises(openai.BadRequestError) as unknown_endpoint:
        mock.client.batches.create(input_file_id=good, endpoint="/v1/unknown", completion_window="24h")
    assert unknown_endpoint.value.body["param"] == "endpoint"
    with pytest.raises(openai.BadRequestError) as window:
        mock.client.batches.create(input_file_id=good, endpoint=CHAT, completion_window="48h")
    assert window.value.body["param"] == "completion_window"
    assistants_file = _upload(mock, [_chat_line(1)], purpose="assistants")
    with pytest.raises(openai.BadRequestError) as purpose:
        mock.client.batches.create(input_file_id=assistants_file, endpoint=CHAT, completion_window="24h")
    assert purpose.value.body["param"] == "input_file_id" and "purpose 'batch'" in purpose.value.body["message"]
    with pytest.raises(openai.NotFoundError) as missing:
        mock.client.batches.create(input_file_id="file-doesnotexist0000000", endpoint=CHAT, completion_window="24h")
    assert "file-doesnotexist0000000" in missing.value.body["message"]
    with pytest.raises(openai.BadRequestError) as ttl:
        mock.client.batches.create(input_file_id=good, endpoint=CHAT, completion_window="24h",
                                   output_expires_after={"anchor": "created_at", "seconds": 60})
    assert ttl.value.body["param"] == "output_expires_after.seconds"
    with pytest.raises(openai.NotFoundError) as unknown_batch:
        mock.client.batches.retrieve("batch_doesnotexist")
    assert unknown_batch.value.body["message"] == "No batch found with id 'batch_doesnotexist'."


def test_output_files_follow_output_expires_after(mock):
    batch = mock.client.batches.create(input_file_id=_upload(mock, [_chat_line(1)]), endpoint=CHAT, completion_window="24h",
                                       output_expires_after={"anchor": "created_at", "seconds": 3600})
    done = mock.client.batches.retrieve(batch.id)
    output = mock.client.files.retrieve(done.output_file_id)
    assert output.expires_at == output.created_at + 3600
