"""What a fine-tuning job's training produces: resolved hyperparameters, metrics, checkpoints, a results file, a model.

Nothing here is a real training run: the numbers are deterministic functions of the job (its id and its
examples), shaped like the real service's (loss falling toward a floor, a checkpoint at the end of each
of the last three epochs, ``ft:`` names in the real format).
"""

from __future__ import annotations

import math
from typing import Any

from mockapi.core.determinism import digest, make_id
from mockapi.core.repo import Repo

from ..files import files
from ..files.blobs import blobs_for

MODEL_KIND = "fine_tuned_model"
KEPT_CHECKPOINTS = 3  # the service keeps the checkpoints of the last three epochs (fine-tuning guide)
MAX_METRIC_EVENTS = 50


def events_kind(job_id: str) -> str:
    """The store kind of one job's events."""
    return f"fine_tuning.job.event:{job_id}"


def checkpoints_kind(job_id: str) -> str:
    """The store kind of one job's checkpoints."""
    return f"fine_tuning.job.checkpoint:{job_id}"


def add_event(repo: Repo, job_id: str, at: int, message: str, level: str = "info", kind: str = "message",
              data: dict[str, Any] | None = None) -> None:
    """Append one ``fine_tuning.job.event``."""
    repo.put(events_kind(job_id), {"id": repo.new_id("ftevent-", events_kind(job_id)), "object": "fine_tuning.job.event",
                                   "created_at": at, "level": level, "message": message, "data": data or {}, "type": kind})


def resolve(hyper: dict[str, Any], examples: int) -> dict[str, Any]:
    """Hyperparameters with ``auto`` resolved as the service does once a job runs (mock heuristics)."""
    resolved = dict(hyper)
    if resolved.get("n_epochs", "auto") == "auto":
        resolved["n_epochs"] = min(10, max(3, math.ceil(100 / max(examples, 1))))
    if resolved.get("batch_size", "auto") == "auto":
        resolved["batch_size"] = max(1, min(256, examples // 50))
    if resolved.get("learning_rate_multiplier", "auto") == "auto":
        resolved["learning_rate_multiplier"] = 1.8
    if "beta" in resolved and resolved["beta"] == "auto":
        resolved["beta"] = 0.1
    return resolved


def _loss(job_id: str, step: int, total: int, shift: float = 0.0) -> tuple[float, float]:
    """A falling training loss and a rising token accuracy, with a deterministic wobble."""
    wobble = (int(digest(job_id, "loss", step, shift)[:6], 16) / 0xFFFFFF - 0.5) * 0.08
    loss = round(0.25 + shift + 1.9 * math.exp(-3.0 * step / total) + wobble, 4)
    accuracy = round(min(0.99, max(0.3, 1.0 - loss / 2.6)), 4)
    return loss, accuracy


def model_name(job: dict[str, Any]) -> str:
    """``ft:<base>:<organization>:<suffix>:<id>``, the real format (``personal`` without an organization)."""
    mock = job["_mock"]
    return f"ft:{job['model']}:{mock['owner']}:{job.get('user_provided_suffix') or ''}:{make_id('', job['id'], length=8)}"


def _result_file(repo: Repo, job: dict[str, Any], rows: list[str]) -> str:
    data = ("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n" + "\n".join(rows) + "\n").encode()
    file_id = repo.new_id("file-", files.KIND, length=22)
    writer = blobs_for(repo.store).writer()
    writer.write(data)
    size = writer.commit(file_id)
    repo.put(files.KIND, {"id": file_id, "object": "file", "bytes": size, "created_at": repo.now(), "filename": "step_metrics.csv",
                          "purpose": "fine-tune-results", "status": "processed", "expires_at": None, "status_details": None})
    return file_id


def succeed(repo: Repo, job: dict[str, Any], at: int) -> None:
    """Finish a running job: metrics events, checkpoints, the results file and the new model."""
    mock, hyper = job["_mock"], job["hyperparameters"]
    epochs, batch = int(hyper["n_epochs"]), int(hyper["batch_size"])
    per_epoch = max(1, math.ceil(mock["examples"] / batch))
    total = per_epoch * epochs
    every = max(1, math.ceil(total / MAX_METRIC_EVENTS))
    validated = job.get("validation_file") is not None
    fine_tuned = model_name(job)
    rows = []
    for step in range(1, total + 1):
        loss, accuracy = _loss(job["id"], step, total)
        valid = _loss(job["id"], step, total, shift=0.05) if validated else None
        rows.append(f"{step},{loss},{accuracy},{valid[0] if valid else ''},{valid[1] if valid else ''}")
        if step % every == 0 or step == total:
            data = {"step": step, "train_loss": loss, "train_mean_token_accuracy": accuracy, "total_steps": total}
            message = f"Step {step}/{total}: training loss={loss}"
            if valid:
                data.update(valid_loss=valid[0], valid_mean_token_accuracy=valid[1])
                message += f", validation loss={valid[0]}"
            add_event(repo, job["id"], at, message, kind="metrics", data=data)
        if step % per_epoch == 0 and step // per_epoch > epochs - KEPT_CHECKPOINTS:
            _checkpoint(repo, job, at, step, loss, accuracy, valid, f"{fine_tuned}:ckpt-step-{step}")
    add_event(repo, job["id"], at, f"New fine-tuned model created: {fine_tuned}")
    add_event(repo, job["id"], at, "Evaluating model against our usage policies")
    add_event(repo, job["id"], at, "Usage policy evaluations completed, model is now enabled for sampling")
    add_event(repo, job["id"], at, "The job has successfully completed")
    job.update(status="succeeded", fine_tuned_model=fine_tuned, finished_at=at, estimated_finish=None,
               trained_tokens=mock["tokens"] * epochs, result_files=[_result_file(repo, job, rows)])
    # owned_by as GET /v1/models/{id} shows it (the catalogue reads the ft: name's owner segment)
    repo.put(MODEL_KIND, {"id": fine_tuned, "object": "model", "created": at, "owned_by": mock["owner"],
                          "_job": job["id"]})


def _checkpoint(repo: Repo, job: dict[str, Any], at: int, step: int, loss: float, accuracy: float,
                valid: tuple[float, float] | None, name: str) -> None:
    metrics: dict[str, Any] = {"step": float(step), "train_loss": loss, "train_mean_token_accuracy": accuracy}
    if valid:
        metrics.update(valid_loss=valid[0], valid_mean_token_accuracy=valid[1], full_valid_loss=valid[0],
                       full_valid_mean_token_accuracy=valid[1])
    kind = checkpoints_kind(job["id"])
    repo.put(kind, {"id": repo.new_id("ftckpt_", kind), "object": "fine_tuning.job.checkpoint", "created_at": at,
                    "fine_tuned_model_checkpoint": name, "fine_tuning_job_id": job["id"], "metrics": metrics,
                    "step_number": step})
    add_event(repo, job["id"], at, f"Checkpoint created at step {step}")
