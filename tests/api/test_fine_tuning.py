"""Fine-tuning: jobs validate their file, train on the mock clock and yield a usable ft: model."""

from __future__ import annotations

import io
import json

import openai
import pytest

SLOW = {"x-mockapi-progress": "polls:1"}


def _examples(n: int) -> list[dict]:
    return [{"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": f"Question {i}?"},
                          {"role": "assistant", "content": f"Answer {i}."}]} for i in range(n)]


def _upload(mock, lines: list, purpose: str = "fine-tune") -> str:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return mock.client.files.create(file=("train.jsonl", io.BytesIO(text.encode())), purpose=purpose).id


def test_a_job_yields_a_usable_listed_model(mock):
    training = _upload(mock, _examples(12))
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, suffix="support",
                                              method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}})
    assert job.id.startswith("ftjob-") and job.status == "validating_files"
    assert job.model == "gpt-4o-mini-2024-07-18" and job.fine_tuned_model is None and job.user_provided_suffix == "support"
    mock.validate("createFineTuningJob", job)
    done = mock.client.fine_tuning.jobs.retrieve(job.id)
    assert done.status == "succeeded" and done.finished_at is not None and done.error is None
    assert done.fine_tuned_model.startswith("ft:gpt-4o-mini-2024-07-18:personal:support:")
    assert done.hyperparameters.n_epochs == 2 and done.method.supervised.hyperparameters.n_epochs == 2
    assert done.trained_tokens > 0 and len(done.result_files) == 1
    mock.validate("retrieveFineTuningJob", done)
    csv = mock.client.files.content(done.result_files[0]).text
    assert csv.splitlines()[0].startswith("step,train_loss") and len(csv.splitlines()) == 1 + 12 * 2
    assert done.fine_tuned_model in [m.id for m in mock.client.models.list().data]
    reply = mock.client.chat.completions.create(model=done.fine_tuned_model, messages=[{"role": "user", "content": "Hello"}])
    assert reply.model == done.fine_tuned_model and reply.choices[0].message.content
    assert mock.client.models.delete(done.fine_tuned_model).deleted is True
    assert done.fine_tuned_model not in [m.id for m in mock.client.models.list().data]


def test_stages_move_on_by_polls_with_events_in_order(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file=_upload(mock, _examples(10)),
                                              extra_headers=SLOW)
    seen = [mock.client.fine_tuning.jobs.retrieve(job.id).status for _ in range(3)]
    assert seen == ["queued", "running", "succeeded"]
    events = mock.client.fine_tuning.jobs.list_events(job.id, limit=100).data
    messages = [e.message for e in reversed(events)]
    assert messages[:4] == [f"Created fine-tuning job: {job.id}", f"Validating training file: {job.training_file}",
                            "Files validated, moving job to queued state", "Fine-tuning job started"]
    assert messages[-1] == "The job has successfully completed"
    metrics = [e for e in events if e.type == "metrics"]
    assert metrics and {"step", "train_loss", "total_steps"} <= set(metrics[0].data)
    mock.validate("listFineTuningEvents", mock.client.fine_tuning.jobs.list_events(job.id, limit=2))


def test_progress_by_seconds_follows_the_clock(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-3.5-turbo", training_file=_upload(mock, _examples(10)),
                                              extra_headers={"x-mockapi-progress": "seconds:60"})
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "validating_files"
    mock.engine.clock.advance(125)
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "running"
    mock.engine.clock.advance(60)
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "succeeded"


def test_checkpoints_cover_the_last_three_epochs(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=_upload(mock, _examples(10)),
                                              hyperparameters={"n_epochs": 4, "batch_size": 2})
    done = mock.client.fine_tuning.jobs.retrieve(job.id)
    page = mock.client.fine_tuning.jobs.checkpoints.list(job.id)
    assert [c.step_number for c in page.data] == [20, 15, 10]
    assert all(c.id.startswith("ftckpt_") and c.fine_tuning_job_id == job.id for c in page.data)
    assert page.data[0].fine_tuned_model_checkpoint == f"{done.fine_tuned_model}:ckpt-step-20"
    assert page.data[0].metrics.train_loss < 1.0
    mock.validate("listFineTuningJobCheckpoints", page)


@pytest.mark.parametrize(("lines", "code", "fragment"), [
    (_examples(10) + ["{not json"], "invalid_file_format", "Example 11 cannot be parsed"),
    (_examples(3), "invalid_n_examples", "Training file has 3 example(s), but must have at least 10 examples"),
    ([{"prompt": "a", "completion": "b"}] + _examples(10), "invalid_file_format", 'Example 1 contains an extra "prompt"'),
    ([{"messages": [{"content": "no role"}]}] + _examples(10), "invalid_training_file",
     "Example 1, message 1 Discriminator 'role' is missing in value"),
])
def test_a_bad_training_file_fails_the_job_with_the_real_error(mock, lines, code, fragment):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload(mock, lines))
    failed = mock.client.fine_tuning.jobs.retrieve(job.id)
    assert failed.status == "failed" and failed.fine_tuned_model is None
    assert failed.error.code == code and fragment in failed.error.message and failed.error.param == "training_file"
    events = mock.client.fine_tuning.jobs.list_events(job.id).data
    assert events[0].level == "error" and fragment in events[0].message


def test_create_refusals_are_the_real_400s(mock):
    with pytest.raises(openai.BadRequestError) as missing:
        mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-doesnotexist")
    assert missing.value.body["message"] == "invalid training_file: file-doesnotexist"
    assert missing.value.body["param"] == "training_file"
    with pytest.raises(openai.BadRequestError) as model:
        mock.client.fine_tuning.jobs.create(model="gpt-4o-2024-05-13", training_file=_upload(mock, _examples(10)))
    assert model.value.body["message"] == "Model gpt-4o-2024-05-13 is not available for fine-tuning or does not exist."
    assert model.value.code == "model_not_available"


def test_cancel_pause_and_resume_follow_the_state_rules(mock):
    training = _upload(mock, _examples(10))
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, extra_headers=SLOW)
    with pytest.raises(openai.BadRequestError):
        mock.client.fine_tuning.jobs.pause(job.id)  # still validating: only a running job pauses
    mock.client.fine_tuning.jobs.retrieve(job.id)
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "running"
    paused = mock.client.fine_tuning.jobs.pause(job.id)
    assert paused.status == "paused"
    mock.validate("pauseFineTuningJob", paused)
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "paused"  # a paused job does not move on
    resumed = mock.client.fine_tuning.jobs.resume(job.id)
    assert resumed.status == "running"
    with pytest.raises(openai.BadRequestError):
        mock.client.fine_tuning.jobs.resume(job.id)
    assert mock.client.fine_tuning.jobs.retrieve(job.id).status == "succeeded"
    with pytest.raises(openai.BadRequestError):
        mock.client.fine_tuning.jobs.cancel(job.id)  # a finished job cannot be cancelled
    other = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, extra_headers=SLOW)
    cancelled = mock.client.fine_tuning.jobs.cancel(other.id)
    assert cancelled.status == "cancelled"
    assert mock.client.fine_tuning.jobs.retrieve(other.id).status == "cancelled"
    assert other.id not in [m.id for m in mock.client.models.list().data]


def test_list_jobs_newest_first_and_unknown_job_is_404(mock):
    training = _upload(mock, _examples(10))
    first = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, metadata={"team": "a"})
    second = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training)
    page = mock.client.fine_tuning.jobs.list()
    assert [j.id for j in page.data] == [second.id, first.id]
    mock.validate("listPaginatedFineTuningJobs", page)
    assert [j.id for j in mock.client.fine_tuning.jobs.list(metadata={"team": "a"}).data] == [first.id]
    with pytest.raises(openai.NotFoundError):
        mock.client.fine_tuning.jobs.retrieve("ftjob-unknown000000000000000")


def test_checkpoint_permissions_create_list_delete(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload(mock, _examples(10)))
    mock.client.fine_tuning.jobs.retrieve(job.id)
    checkpoint = mock.client.fine_tuning.jobs.checkpoints.list(job.id).data[0].fine_tuned_model_checkpoint
    made = mock.client.fine_tuning.checkpoints.permissions.create(checkpoint, project_ids=["proj_a", "proj_b"])
    assert [p.project_id for p in made.data] == ["proj_a", "proj_b"]
    listed = mock.client.fine_tuning.checkpoints.permissions.list(checkpoint, project_id="proj_b")
    assert [p.project_id for p in listed.data] == ["proj_b"]
    gone = mock.client.fine_tuning.checkpoints.permissions.delete(made.data[0].id, fine_tuned_model_checkpoint=checkpoint)
    assert gone.deleted is True
    assert [p.project_id for p in mock.client.fine_tuning.checkpoints.permissions.list(checkpoint).data] == ["proj_b"]
    with pytest.raises(openai.NotFoundError):
        mock.client.fine_tuning.checkpoints.permissions.create("ft:gpt-4o-mini:none::x:ckpt-step-1", project_ids=["p"])


def test_a_bad_validation_file_fails_the_job_naming_it(mock):
    training = _upload(mock, _examples(10))
    validation = _upload(mock, [{"messages": [{"content": "no role"}]}])
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, validation_file=validation)
    failed = mock.client.fine_tuning.jobs.retrieve(job.id)
    assert failed.status == "failed" and failed.error.param == "validation_file"
    assert failed.error.code == "invalid_validation_file" and "invalid validation file" in failed.error.message


def test_a_validation_file_adds_validation_metrics(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload(mock, _examples(10)),
                                              validation_file=_upload(mock, _examples(2)))
    mock.client.fine_tuning.jobs.retrieve(job.id)
    checkpoint = mock.client.fine_tuning.jobs.checkpoints.list(job.id).data[0]
    assert checkpoint.metrics.valid_loss is not None and checkpoint.metrics.full_valid_mean_token_accuracy is not None
    metrics = [e for e in mock.client.fine_tuning.jobs.list_events(job.id, limit=100).data if e.type == "metrics"]
    assert "validation loss=" in metrics[0].message


def test_dpo_jobs_take_preference_pairs_and_echo_the_method(mock):
    pairs = [{"input": {"messages": [{"role": "user", "content": f"Q{i}"}]},
              "preferred_output": [{"role": "assistant", "content": "Good"}],
              "non_preferred_output": [{"role": "assistant", "content": "Bad"}]} for i in range(10)]
    method = {"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.2}}}
    job = mock.client.fine_tuning.jobs.create(model="gpt-4.1-mini", training_file=_upload(mock, pairs), method=method)
    assert job.method.type == "dpo" and job.method.dpo.hyperparameters.beta == 0.2
    done = mock.client.fine_tuning.jobs.retrieve(job.id)
    assert done.status == "succeeded" and done.method.dpo.hyperparameters.n_epochs >= 1
    wrong = mock.client.fine_tuning.jobs.create(model="gpt-4.1-mini", training_file=_upload(mock, _examples(10)), method=method)
    failed = mock.client.fine_tuning.jobs.retrieve(wrong.id)
    assert failed.error.code == "invalid_file_format" and 'Example 1 contains an extra "messages"' in failed.error.message


def test_the_listed_model_matches_its_retrieve(mock):
    job = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload(mock, _examples(10)))
    name = mock.client.fine_tuning.jobs.retrieve(job.id).fine_tuned_model
    listed = next(m for m in mock.client.models.list().data if m.id == name)
    assert listed == mock.client.models.retrieve(name)


def test_finish_listeners_hear_each_ending_once(mock):
    from mockapi.api.fine_tuning import jobs

    heard: list[tuple[str, str]] = []
    listener = lambda repo, job: heard.append((job["id"], job["status"]))
    jobs.ON_FINISH.append(listener)
    try:
        training = _upload(mock, _examples(10))
        done = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training)
        for _ in range(3):
            mock.client.fine_tuning.jobs.retrieve(done.id)
        stopped = mock.client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training, extra_headers=SLOW)
        mock.client.fine_tuning.jobs.cancel(stopped.id)
    finally:
        jobs.ON_FINISH.remove(listener)
    assert heard == [(done.id, "succeeded"), (stopped.id, "cancelled")]
