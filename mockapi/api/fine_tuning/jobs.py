"""Fine-tuning jobs: validating_files -> queued -> running -> succeeded (or failed), moved on by polls and the clock.

Each stage lasts as long as the job's progress rule says (``x-mockapi-progress``: ``immediate``, ``polls:N``
per stage, ``seconds:T`` per stage). The training file is checked when the job is created; a bad file
fails the job when its validation stage ends, with the real error on ``job.error``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapi.core import progress
from mockapi.core.determinism import make_id
from mockapi.core.errors import InvalidRequestError
from mockapi.core.pages import paginate
from mockapi.core.repo import SYNTHESIZERS, Repo, metadata_of, public, synthetic_time

from ..files import files
from ..files.blobs import blobs_for, read_prefix
from . import training, training_file

KIND = "fine_tuning.job"
PENDING = ("validating_files", "queued", "running")
STOPPABLE = PENDING + ("paused",)
TRAINING_READ_LIMIT = 64 << 20  # bytes of a training file the mock reads
# Base models open to fine-tuning (fine-tuning guide, "Which models can be fine-tuned?"), aliases resolved
# to the snapshot the service trains, as job.model shows it.
ALIASES = {"gpt-4o-mini": "gpt-4o-mini-2024-07-18", "gpt-4o": "gpt-4o-2024-08-06", "gpt-4.1": "gpt-4.1-2025-04-14",
           "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
           "gpt-3.5-turbo": "gpt-3.5-turbo-0125", "o4-mini": "o4-mini-2025-04-16"}
# Called with (repo, job) when a job ends (succeeded, failed or cancelled): webhooks register here.
ON_FINISH: list[Callable[[Repo, dict[str, Any]], None]] = []
FINE_TUNABLE = {*ALIASES.values(), "gpt-4-0613", "gpt-3.5-turbo-1106", "gpt-3.5-turbo-0613", "babbage-002", "davinci-002"}


def _base_model(name: str) -> str:
    """The snapshot a job trains, or the real 400 (openai-cookbook#657 quotes it, also for ``ft:`` names)."""
    base = name.split(":")[1] if name.startswith("ft:") and name.count(":") >= 1 else name
    resolved = ALIASES.get(base, base)
    if resolved not in FINE_TUNABLE:
        raise InvalidRequestError(f"Model {name} is not available for fine-tuning or does not exist.", param="model",
                                  code="model_not_available")
    return name if name.startswith("ft:") else resolved


def _training_text(repo: Repo, file_id: Any, param: str) -> str:
    """The file's text, or the real 400 for an unknown id ("invalid training_file: <id>", param set, code null)."""
    if not isinstance(file_id, str) or repo.get(files.KIND, file_id) is None:
        raise InvalidRequestError(f"invalid {param}: {file_id}", param=param)
    return read_prefix(blobs_for(repo.store), file_id, TRAINING_READ_LIMIT).decode("utf-8", "replace")


def _method(body: dict[str, Any]) -> dict[str, Any]:
    """The method as the job echoes it: the one asked for, else supervised with the deprecated ``hyperparameters``."""
    method = dict(body.get("method") or {"type": "supervised"})
    kind = method.get("type", "supervised")
    settings = dict(method.get(kind) or {})
    hyper = {"batch_size": "auto", "learning_rate_multiplier": "auto", "n_epochs": "auto",
             **({"beta": "auto"} if kind == "dpo" else {}), **(body.get("hyperparameters") or {}),
             **(settings.get("hyperparameters") or {})}
    settings["hyperparameters"] = hyper
    method[kind] = settings
    method["type"] = kind
    return method


def create(repo: Repo, call: Any, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /fine_tuning/jobs``: a job validating its files."""
    model = _base_model(body["model"])
    method = _method(body)
    checked = training_file.check(_training_text(repo, body["training_file"], "training_file"), method["type"])
    if checked.error is None and body.get("validation_file"):
        text = _training_text(repo, body["validation_file"], "validation_file")
        checked = training_file.Checked(checked.examples, checked.tokens,
                                        training_file.check(text, method["type"], "validation_file").error)
    organization = call.request.headers.get("openai-organization") or call.key.organization
    job_id = repo.new_id("ftjob-", KIND)
    now = repo.now()
    hyper = method[method["type"]]["hyperparameters"]
    job = {"id": job_id, "object": "fine_tuning.job", "created_at": now, "error": None, "fine_tuned_model": None,
           "finished_at": None, "hyperparameters": {k: hyper[k] for k in ("batch_size", "learning_rate_multiplier", "n_epochs")},
           "model": model, "organization_id": organization or make_id("org-", repo.tenant, length=24),
           "result_files": [], "seed": body["seed"] if body.get("seed") is not None else int(make_id("", job_id, length=9, alphabet="123456789")),
           "status": "validating_files", "trained_tokens": None, "training_file": body["training_file"],
           "validation_file": body.get("validation_file"), "estimated_finish": None,
           "integrations": list(body.get("integrations") or []), "metadata": metadata_of(body, None), "method": method,
           "user_provided_suffix": body.get("suffix"),
           "_mock": {"rule": progress.rule_for(call), "since": repo.clock.now(), "examples": checked.examples,
                     "tokens": checked.tokens, "error": checked.error, "owner": (organization or "personal").lower()}}
    repo.put(KIND, job)
    training.add_event(repo, job_id, now, f"Created fine-tuning job: {job_id}")
    files_named = f"Validating training file: {body['training_file']}"
    if body.get("validation_file"):
        files_named += f" and validation file: {body['validation_file']}"
    training.add_event(repo, job_id, now, files_named)
    return public(job)


def require(repo: Repo, job_id: str) -> dict[str, Any]:
    """The stored job (not yet advanced), or 404."""
    return repo.require(KIND, job_id, "fine-tuning job", "ftjob-")


def advance(repo: Repo, job: dict[str, Any], polled: bool = False) -> dict[str, Any]:
    """Bring a job up to date under its rule; a retrieve (``polled``) counts toward ``polls:N`` of the stage it finds."""
    if job["status"] not in PENDING or "_mock" not in job:
        return job
    with repo.lock(f"ftjob:{job['id']}"):
        job = repo.get(KIND, job["id"]) or job
        was_pending = job["status"] in PENDING  # another call may have finished it meanwhile
        mock = job["_mock"]
        kind, amount = progress.parse(mock["rule"])
        while job["status"] in PENDING:
            polls = repo.counter(f"ftpolls:{job['id']}:{job['status']}", 1 if polled else 0)
            polled = False
            if not progress.due(mock["rule"], polls, mock["since"], repo.clock.now()):
                break
            at = mock["since"] + amount if kind == "seconds" else repo.clock.now()
            _move_on(repo, job, int(at))
            mock["since"] = at
        repo.put(KIND, job)
    if was_pending and job["status"] in ("succeeded", "failed"):
        _finished(repo, job)  # once: on the call that ended it
    return job


def _finished(repo: Repo, job: dict[str, Any]) -> None:
    for listener in ON_FINISH:
        listener(repo, public(job))


def _move_on(repo: Repo, job: dict[str, Any], at: int) -> None:
    mock = job["_mock"]
    if job["status"] == "validating_files":
        if mock["error"]:
            job.update(status="failed", error=mock["error"])
            training.add_event(repo, job["id"], at, mock["error"]["message"], level="error")
        else:
            job["status"] = "queued"
            training.add_event(repo, job["id"], at, "Files validated, moving job to queued state")
    elif job["status"] == "queued":
        method = job["method"]
        settings = method[method["type"]]
        settings["hyperparameters"] = training.resolve(settings["hyperparameters"], mock["examples"])
        job["hyperparameters"] = {k: settings["hyperparameters"][k] for k in ("batch_size", "learning_rate_multiplier", "n_epochs")}
        job.update(status="running", estimated_finish=at + 600)
        training.add_event(repo, job["id"], at, "Fine-tuning job started")
    else:
        training.succeed(repo, job, at)


def view(repo: Repo, job_id: str, polled: bool = False) -> dict[str, Any]:
    """The job as the API shows it now."""
    return public(advance(repo, require(repo, job_id), polled))


def list_page(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /fine_tuning/jobs``: newest first, filtered by ``metadata[k]=v``."""
    jobs = [public(advance(repo, j)) for j in repo.list(KIND)]
    for key, value in query.items():
        if key.startswith("metadata[") and key.endswith("]"):
            jobs = [j for j in jobs if (j.get("metadata") or {}).get(key[9:-1]) == value]
    return paginate(jobs, query)


def refresh_all(repo: Repo) -> None:
    """Bring every job of the tenant up to date (so finished models are listed)."""
    for job in repo.list(KIND):
        advance(repo, job)


# -- cancel, pause, resume -------------------------------------------------------------------------
def _refuse(job: dict[str, Any], action: str) -> InvalidRequestError:
    return InvalidRequestError(f"Cannot {action} job {job['id']}: its status is '{job['status']}'.", param=None,
                               code="invalid_state")


def cancel(repo: Repo, job_id: str) -> dict[str, Any]:
    """``POST …/cancel``: a job not yet finished stops; a finished one gets a 400."""
    job = advance(repo, require(repo, job_id))
    if job["status"] not in STOPPABLE:
        raise _refuse(job, "cancel")
    job.update(status="cancelled", estimated_finish=None)
    training.add_event(repo, job_id, repo.now(), "Fine-tuning job cancelled")
    repo.put(KIND, job)
    _finished(repo, job)
    return public(job)


def pause(repo: Repo, job_id: str) -> dict[str, Any]:
    """``POST …/pause``: only a running job pauses; its clock stops until it resumes."""
    job = advance(repo, require(repo, job_id))
    if job["status"] != "running":
        raise _refuse(job, "pause")
    job["status"] = "paused"
    job["_mock"]["paused_at"] = repo.clock.now()
    training.add_event(repo, job_id, repo.now(), "Fine-tuning job paused")
    return public(repo.put(KIND, job))


def resume(repo: Repo, job_id: str) -> dict[str, Any]:
    """``POST …/resume``: a paused job runs again from where it stopped."""
    job = require(repo, job_id)
    if job["status"] != "paused":
        raise _refuse(job, "resume")
    mock = job["_mock"]
    mock["since"] += repo.clock.now() - mock.pop("paused_at", repo.clock.now())
    job["status"] = "running"
    training.add_event(repo, job_id, repo.now(), "Fine-tuning job resumed")
    return public(repo.put(KIND, job))


# -- events and checkpoints ---------------------------------------------------------------------
def events(repo: Repo, job_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET …/events``: newest first."""
    view(repo, job_id)
    return paginate(repo.list(training.events_kind(job_id)), query)


def checkpoints(repo: Repo, job_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET …/checkpoints``: newest first."""
    view(repo, job_id)
    return paginate(repo.list(training.checkpoints_kind(job_id)), query, default_limit=10)


def _synthesize(repo: Repo, job_id: str, scope: dict[str, str]) -> dict[str, Any]:
    created = synthetic_time(job_id)
    return {"id": job_id, "object": "fine_tuning.job", "created_at": created, "error": None, "fine_tuned_model": None,
            "finished_at": None, "hyperparameters": {"batch_size": "auto", "learning_rate_multiplier": "auto", "n_epochs": "auto"},
            "model": "gpt-4o-mini-2024-07-18", "organization_id": make_id("org-", repo.tenant, length=24), "result_files": [],
            "seed": 42, "status": "queued", "trained_tokens": None, "training_file": "file-synthesized",
            "validation_file": None, "estimated_finish": None, "integrations": [], "metadata": None,
            "method": {"type": "supervised", "supervised": {"hyperparameters": {"batch_size": "auto",
                                                                                 "learning_rate_multiplier": "auto", "n_epochs": "auto"}}}}


SYNTHESIZERS[KIND] = _synthesize
