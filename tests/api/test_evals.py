"""Evals: runs sample the mock's own models and graders score the outputs deterministically."""

from __future__ import annotations

import io
import json

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openai.types.evals import RunCancelResponse, RunCreateResponse, RunListResponse

from mockapi.api.evals import similarity

CAPITALS = [("France", "Paris"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Japan", "Tokyo"), ("Peru", "Lima")]
GUESSES = ["Paris", "Rome", "Barcelona", "tokyo", "Lima"]  # 3 exact matches; "tokyo" matches only ignoring case


def _eval(mock, criteria: list[dict]) -> object:
    return mock.client.evals.create(
        name="capitals",
        data_source_config={"type": "custom", "include_sample_schema": True, "item_schema": {
            "type": "object", "properties": {"country": {"type": "string"}, "capital": {"type": "string"}}}},
        testing_criteria=criteria)


def _rows() -> list[dict]:
    return [{"item": {"country": c, "capital": a}, "sample": {"output_text": g}} for (c, a), g in zip(CAPITALS, GUESSES)]


def _check(operation: str) -> dict:
    return {"type": "string_check", "name": f"check {operation}", "input": "{{sample.output_text}}",
            "reference": "{{item.capital}}", "operation": operation}


@pytest.mark.parametrize(("operation", "passing"), [("eq", 3), ("ne", 2), ("like", 3), ("ilike", 4)])
def test_string_check_over_five_items_gives_the_right_counts(mock, operation, passing):
    created = _eval(mock, [_check(operation)])
    assert created.id.startswith("eval_") and created.data_source_config.type == "custom"
    assert created.testing_criteria[0].id.startswith(f"check {operation}-")
    mock.validate("createEval", created)
    run = mock.client.evals.runs.create(created.id, name="guesses",
                                        data_source={"type": "jsonl", "source": {"type": "file_content", "content": _rows()}})
    assert run.id.startswith("evalrun_") and run.status == "queued" and run.result_counts.total == 0
    mock.validate("createEvalRun", run)
    done = mock.client.evals.runs.retrieve(run.id, eval_id=created.id)
    assert done.status == "completed"
    assert (done.result_counts.total, done.result_counts.passed, done.result_counts.failed, done.result_counts.errored) == \
        (5, passing, 5 - passing, 0)
    assert [(r.testing_criteria, r.passed, r.failed) for r in done.per_testing_criteria_results] == \
        [(created.testing_criteria[0].id, passing, 5 - passing)]
    mock.validate("getEvalRun", done)
    items = mock.client.evals.runs.output_items.list(run.id, eval_id=created.id)
    assert [i.datasource_item_id for i in items.data] == [0, 1, 2, 3, 4]
    assert sum(i.status == "pass" for i in items.data) == passing
    assert items.data[0].results[0].name == created.testing_criteria[0].id
    mock.validate("getEvalRunOutputItems", items)
    failed = mock.client.evals.runs.output_items.list(run.id, eval_id=created.id, status="fail").data
    assert len(failed) == 5 - passing
    one = mock.client.evals.runs.output_items.retrieve(items.data[2].id, eval_id=created.id, run_id=run.id)
    assert one.datasource_item == {"country": "Spain", "capital": "Madrid"}
    mock.validate("getEvalRunOutputItem", one)


def test_a_completions_run_grades_the_live_answers(mock):
    created = _eval(mock, [{"type": "text_similarity", "name": "close", "input": "{{sample.output_text}}",
                            "reference": "{{item.capital}}", "evaluation_metric": "fuzzy_match", "pass_threshold": 0.0}])
    template = [{"role": "developer", "content": "Answer with the capital only."},
                {"role": "user", "content": "What is the capital of {{item.country}}?"}]
    run = mock.client.evals.runs.create(created.id, data_source={
        "type": "completions", "model": "gpt-4o-mini", "input_messages": {"type": "template", "template": template},
        "sampling_params": {"seed": 7, "temperature": 0.2},
        "source": {"type": "file_content", "content": [{"item": r["item"]} for r in _rows()]}})
    done = mock.client.evals.runs.retrieve(run.id, eval_id=created.id)
    assert done.result_counts.total == 5 and done.result_counts.passed == 5
    usage = done.per_model_usage[0]
    assert usage.invocation_count == 5 and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0
    item = mock.client.evals.runs.output_items.list(run.id, eval_id=created.id).data[0]
    assert item.sample.input[1].content == "What is the capital of France?"
    live = mock.client.chat.completions.create(model="gpt-4o-mini", seed=7, temperature=0.2, messages=[
        {"role": "developer", "content": "Answer with the capital only."},
        {"role": "user", "content": "What is the capital of France?"}])
    assert item.sample.output[0].content == live.choices[0].message.content
    assert 0 <= item.results[0].score <= 1


def test_cancel_at_the_runs_own_url_as_sdks_before_3_23_send_it(mock):
    """openai-python 1.x-3.22 POST the run's own URL to cancel it (x-legacy-routes): the same cancel, not a 405."""
    created = _eval(mock, [_check("eq")])
    source = {"type": "jsonl", "source": {"type": "file_content", "content": _rows()}}
    slow = mock.client.evals.runs.create(created.id, data_source=source, extra_headers={"x-mockapi-progress": "polls:5"})
    cancelled = mock.client.post(f"/evals/{created.id}/runs/{slow.id}", cast_to=RunCancelResponse)
    assert (cancelled.id, cancelled.status) == (slow.id, "canceled")
    assert mock.client.evals.runs.retrieve(slow.id, eval_id=created.id).status == "canceled"
    with pytest.raises(openai.BadRequestError):  # the rules of cancel: a cancelled run cannot be cancelled again
        mock.client.post(f"/evals/{created.id}/runs/{slow.id}", cast_to=RunCancelResponse)
    with pytest.raises(openai.APIStatusError) as refused:  # other methods there still get the 405, naming POST too
        mock.client.put(f"/evals/{created.id}/runs/{slow.id}", cast_to=RunCancelResponse)
    assert refused.value.status_code == 405
    assert refused.value.response.headers["allow"] == "DELETE, GET, POST"

def test_a_run_reads_a_jsonl_file(mock):
    created = _eval(mock, [_check("eq")])
    data = "\n".join(json.dumps(r) for r in _rows()).encode()
    file_id = mock.client.files.create(file=("rows.jsonl", io.BytesIO(data)), purpose="evals").id
    run = mock.client.evals.runs.create(created.id, data_source={"type": "jsonl", "source": {"type": "file_id", "id": file_id}})
    assert mock.client.evals.runs.retrieve(run.id, eval_id=created.id).result_counts.passed == 3


def test_runs_progress_by_polls_and_cancel_drops_results(mock):
    created = _eval(mock, [_check("eq")])
    source = {"type": "jsonl", "source": {"type": "file_content", "content": _rows()}}
    run = mock.client.evals.runs.create(created.id, data_source=source, extra_headers={"x-mockapi-progress": "polls:1"})
    seen = [mock.client.evals.runs.retrieve(run.id, eval_id=created.id).status for _ in range(2)]
    assert seen == ["in_progress", "completed"]
    slow = mock.client.evals.runs.create(created.id, data_source=source, extra_headers={"x-mockapi-progress": "polls:5"})
    assert mock.client.evals.runs.output_items.list(slow.id, eval_id=created.id).data == []
    cancelled = mock.client.evals.runs.cancel(slow.id, eval_id=created.id)
    assert cancelled.status == "canceled"
    with pytest.raises(openai.BadRequestError):
        mock.client.evals.runs.cancel(run.id, eval_id=created.id)  # a completed run cannot be cancelled
    listed = mock.client.evals.runs.list(created.id)
    assert [r.id for r in listed.data] == [run.id, slow.id]
    assert [r.id for r in mock.client.evals.runs.list(created.id, status="canceled").data] == [slow.id]
    gone = mock.client.evals.runs.delete(run.id, eval_id=created.id)
    assert gone.deleted is True and gone.run_id == run.id
    with pytest.raises(openai.NotFoundError):
        mock.client.evals.runs.retrieve(run.id, eval_id=created.id)


def test_model_graders_use_the_mocks_own_answers(mock):
    label = {"type": "label_model", "name": "judge", "model": "gpt-4o-mini", "labels": ["correct", "incorrect"],
             "passing_labels": ["correct"], "input": [{"role": "user", "content": "Is {{sample.output_text}} the capital "
                                                                                    "of {{item.country}}?"}]}
    score = {"type": "score_model", "name": "rate", "model": "gpt-4o-mini", "range": [0, 10],
             "input": [{"role": "user", "content": "Rate {{sample.output_text}}"}]}
    created = _eval(mock, [label, score, {"type": "python", "name": "code", "source": "def grade(s, i): return 0"}])
    source = {"type": "jsonl", "source": {"type": "file_content", "content": _rows()}}
    first = mock.client.evals.runs.create(created.id, data_source=source)
    second = mock.client.evals.runs.create(created.id, data_source=source)
    items = [mock.client.evals.runs.output_items.list(r.id, eval_id=created.id).data for r in (first, second)]
    scores = [[[x.score for x in i.results] for i in run_items] for run_items in items]
    assert scores[0] == scores[1]  # deterministic
    for item in items[0]:
        judged, rated, code = item.results
        assert judged.passed == (judged.score == 1.0) and 0 <= rated.score <= 10 and code.score == 1.0


def test_eval_crud_and_unknown_ids(mock):
    first = _eval(mock, [_check("eq")])
    second = _eval(mock, [_check("ne")])
    assert [e.id for e in mock.client.evals.list().data] == [first.id, second.id]
    mock.validate("listEvals", mock.client.evals.list())
    updated = mock.client.evals.update(first.id, name="renamed", metadata={"team": "qa"})
    assert updated.name == "renamed" and updated.metadata == {"team": "qa"}
    assert mock.client.evals.retrieve(first.id).name == "renamed"
    deleted = mock.client.evals.delete(second.id)
    assert deleted.deleted is True and deleted.eval_id == second.id
    with pytest.raises(openai.NotFoundError):
        mock.client.evals.retrieve(second.id)
    with pytest.raises(openai.NotFoundError):
        mock.client.evals.runs.create("eval_unknown", data_source={"type": "jsonl", "source": {"type": "file_content", "content": []}})
    with pytest.raises(openai.NotFoundError):
        mock.client.evals.runs.create(first.id, data_source={
            "type": "completions", "model": "gpt-nonexistent", "source": {"type": "file_content", "content": _rows()}})


def test_alpha_graders_run_and_validate(mock):
    check = {"type": "string_check", "name": "city", "input": "{{sample.output_text}}", "reference": "{{item.capital}}",
             "operation": "ilike"}
    result = mock.client.fine_tuning.alpha.graders.run(grader=check, model_sample="It is PARIS.", item={"capital": "paris"})
    assert result.reward == 1.0 and result.metadata.scores == {"city": 1.0} and result.metadata.errors.other_error is False
    mock.validate("runGrader", result)
    similar = {"type": "text_similarity", "name": "sim", "input": "{{sample.output_text}}", "reference": "the cat sat",
               "evaluation_metric": "rouge_1"}
    assert mock.client.fine_tuning.alpha.graders.run(grader=similar, model_sample="the cat sat").reward == 1.0
    multi = {"type": "multi", "name": "blend", "calculate_output": "0.5 * city + 0.25", "graders": check}
    blended = mock.client.fine_tuning.alpha.graders.run(grader=multi, model_sample="no", item={"capital": "paris"})
    assert blended.reward == 0.25 and blended.sub_rewards == {"city": 0.0}
    assert mock.client.fine_tuning.alpha.graders.validate(grader=check).grader.name == "city"
    with pytest.raises(openai.BadRequestError):
        mock.client.fine_tuning.alpha.graders.validate(grader={**multi, "calculate_output": "0.5 *"})


METRICS = ["cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"]
WORDS = st.lists(st.sampled_from(["the", "cat", "sat", "on", "a", "mat", "dog", "ran"]), min_size=0, max_size=12).map(" ".join)


@given(metric=st.sampled_from(METRICS), candidate=WORDS, reference=WORDS)
def test_similarity_scores_lie_in_the_unit_interval(metric, candidate, reference):
    value = similarity.score(metric, candidate, reference)
    assert 0.0 <= value <= 1.0
    assert value == similarity.score(metric, candidate, reference)


@given(metric=st.sampled_from(METRICS), text=WORDS.filter(lambda t: len(t.split()) >= 5))
def test_a_text_is_fully_similar_to_itself(metric, text):
    value = similarity.score(metric, text, text)
    if metric == "meteor":  # METEOR's fragmentation penalty keeps even an identical text just under 1
        assert 0.99 < value <= 1.0
    else:
        assert value == pytest.approx(1.0)


def test_a_responses_run_grades_the_live_responses_answer(mock):
    created = _eval(mock, [{"type": "string_check", "name": "said something", "input": "{{sample.output_text}}",
                            "reference": "", "operation": "ne"}])
    template = [{"type": "message", "role": "user", "content": {"type": "input_text", "text": "Tell me about {{item.country}}"}}]
    run = mock.client.evals.runs.create(created.id, data_source={
        "type": "responses", "model": "gpt-4o-mini", "input_messages": {"type": "template", "template": template},
        "sampling_params": {"max_completion_tokens": 60},
        "source": {"type": "file_content", "content": [{"item": {"country": "Peru"}}]}})
    done = mock.client.evals.runs.retrieve(run.id, eval_id=created.id)
    assert (done.result_counts.total, done.result_counts.passed) == (1, 1)
    item = mock.client.evals.runs.output_items.list(run.id, eval_id=created.id).data[0]
    live = mock.client.responses.create(model="gpt-4o-mini", max_output_tokens=60,
                                        input=[{"role": "user", "content": "Tell me about Peru"}])
    assert item.sample.output[0].content == live.output_text


def test_rows_whose_sampling_fails_count_as_errored(mock):
    created = _eval(mock, [_check("ne")])
    run = mock.client.evals.runs.create(created.id, data_source={  # no model: the chat endpoint's own 400 per row
        "type": "completions", "source": {"type": "file_content", "content": [{"item": {"input": "Hi"}}] * 2}})
    done = mock.client.evals.runs.retrieve(run.id, eval_id=created.id)
    assert (done.result_counts.total, done.result_counts.errored, done.result_counts.passed) == (2, 2, 0)
    item = mock.client.evals.runs.output_items.list(run.id, eval_id=created.id).data[0]
    # The chat endpoint's real 400 for a missing model carries no code, so the row's error keeps its message.
    assert item.sample.error.message == "you must provide a model parameter" and item.results == []


@pytest.mark.parametrize("level", ["faithful", "schema"])
def test_a_run_without_an_error_says_null_at_faithful_and_the_sdks_blank_error_at_schema(mock, level):
    # The real server sends `"error": null`; the SDK's types require an EvalAPIError, which strict SDKs enforce.
    headers = {"x-mockapi-validation": level}
    created = _eval(mock, [_check("eq")])
    rows = {"type": "jsonl", "source": {"type": "file_content", "content": _rows()}}
    run = mock.client.evals.runs.with_raw_response.create(created.id, data_source=rows, extra_headers=headers).http_response.json()
    listed = mock.client.evals.runs.with_raw_response.list(created.id, extra_headers=headers).http_response.json()
    expected = None if level == "faithful" else {"code": "", "message": ""}
    assert run["error"] == expected and listed["data"][0]["error"] == expected
    mock.validate("createEvalRun", run)
    if level == "schema":  # what a client with strict response validation does with the answer
        assert RunCreateResponse.model_validate(run).error.code == ""
        assert RunListResponse.model_validate(listed["data"][0]).error.message == ""
