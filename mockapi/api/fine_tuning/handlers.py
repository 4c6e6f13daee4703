"""Fine-tuning: jobs, their events and checkpoints, checkpoint permissions."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo

from . import alpha_graders, jobs, permissions


def _job(call: Call) -> str:
    return call.path_params["fine_tuning_job_id"]


def _checkpoint(call: Call) -> str:
    return call.path_params["fine_tuned_model_checkpoint"]


def create_job(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/jobs``."""
    return jobs.create(Repo(call), call, call.body)


def list_jobs(call: Call) -> dict[str, Any]:
    """``GET /v1/fine_tuning/jobs``."""
    return jobs.list_page(Repo(call), call.query)


def retrieve_job(call: Call) -> dict[str, Any]:
    """``GET /v1/fine_tuning/jobs/{id}`` (a poll)."""
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS
    return jobs.view(Repo(call), _job(call), polled=True)


def cancel_job(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/jobs/{id}/cancel``."""
    return jobs.cancel(Repo(call), _job(call))


def pause_job(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/jobs/{id}/pause``."""
    return jobs.pause(Repo(call), _job(call))


def resume_job(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/jobs/{id}/resume``."""
    return jobs.resume(Repo(call), _job(call))


def list_events(call: Call) -> dict[str, Any]:
    """``GET /v1/fine_tuning/jobs/{id}/events``."""
    return jobs.events(Repo(call), _job(call), call.query)


def list_checkpoints(call: Call) -> dict[str, Any]:
    """``GET /v1/fine_tuning/jobs/{id}/checkpoints``."""
    return jobs.checkpoints(Repo(call), _job(call), call.query)


def create_permission(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/checkpoints/{checkpoint}/permissions``."""
    return permissions.create(Repo(call), _checkpoint(call), call.body)


def list_permissions(call: Call) -> dict[str, Any]:
    """``GET /v1/fine_tuning/checkpoints/{checkpoint}/permissions``."""
    return permissions.list_page(Repo(call), _checkpoint(call), call.query)


def delete_permission(call: Call) -> dict[str, Any]:
    """``DELETE /v1/fine_tuning/checkpoints/{checkpoint}/permissions/{permission_id}``."""
    return permissions.delete(Repo(call), _checkpoint(call), call.path_params["permission_id"])


def run_grader(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/alpha/graders/run``."""
    return alpha_graders.run(call, call.body)


def validate_grader(call: Call) -> dict[str, Any]:
    """``POST /v1/fine_tuning/alpha/graders/validate``."""
    return alpha_graders.validate(call.body["grader"])


HANDLERS = {
    "createFineTuningJob": create_job, "listPaginatedFineTuningJobs": list_jobs, "retrieveFineTuningJob": retrieve_job,
    "cancelFineTuningJob": cancel_job, "pauseFineTuningJob": pause_job, "resumeFineTuningJob": resume_job,
    "listFineTuningEvents": list_events, "listFineTuningJobCheckpoints": list_checkpoints,
    "createFineTuningCheckpointPermission": create_permission, "listFineTuningCheckpointPermissions": list_permissions,
    "deleteFineTuningCheckpointPermission": delete_permission, "runGrader": run_grader, "validateGrader": validate_grader,
}
