"""Contract sources for Fine-tuning: jobs, their events and checkpoints, checkpoint permissions, alpha graders."""

from __future__ import annotations

from typing import Literal

from openai.types.fine_tuning.checkpoints import PermissionCreateResponse
from pydantic import BaseModel

from . import Operation

_F = "openai.types.fine_tuning"
_C = "openai.types.fine_tuning.checkpoints"
_A = "openai.types.fine_tuning.alpha"
_CURSOR = (("after", {"type": "string"}), ("limit", {"type": "integer", "minimum": 1, "maximum": 100}))
_JOB = f"{_F}:FineTuningJob"
_JOBS = "/fine_tuning/jobs/{fine_tuning_job_id}"
_PERMISSIONS = "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions"
# A paused job reports `paused` (the status the pause operation exists for; Azure OpenAI's FineTuningJob
# enum lists it: learn.microsoft.com/rest/api/azureopenai fine-tuning "paused"); the SDK's Literal lags.
_PAUSED = (("/properties/status", {"enum": ["validating_files", "queued", "running", "succeeded", "failed",
                                               "cancelled", "paused"], "type": "string", "title": "Status"}),)


class PermissionPage(BaseModel):
    """``POST …/permissions`` answers a plain list page (the SDK reads it as ``SyncPage``)."""

    object: Literal["list"]
    data: list[PermissionCreateResponse]
    has_more: bool
    first_id: str | None = None
    last_id: str | None = None


OPERATIONS = [
    Operation("createFineTuningJob", "POST", "/fine_tuning/jobs", "Create a fine-tuning job", "Fine-tuning",
              request=f"{_F}.job_create_params:JobCreateParams", response=_JOB, stateful=True, response_patches=_PAUSED),
    Operation("listPaginatedFineTuningJobs", "GET", "/fine_tuning/jobs", "List fine-tuning jobs", "Fine-tuning",
              response=_JOB, response_list=True, stateful=True, query=_CURSOR,
              response_patches=(("/properties/data/items/properties/status", _PAUSED[0][1]),)),
    Operation("retrieveFineTuningJob", "GET", _JOBS, "Retrieve a fine-tuning job", "Fine-tuning",
              response=_JOB, stateful=True, response_patches=_PAUSED),
    Operation("cancelFineTuningJob", "POST", f"{_JOBS}/cancel", "Cancel a fine-tuning job", "Fine-tuning",
              response=_JOB, stateful=True, response_patches=_PAUSED),
    Operation("pauseFineTuningJob", "POST", f"{_JOBS}/pause", "Pause a running fine-tuning job", "Fine-tuning",
              response=_JOB, stateful=True, response_patches=_PAUSED),
    Operation("resumeFineTuningJob", "POST", f"{_JOBS}/resume", "Resume a paused fine-tuning job", "Fine-tuning",
              response=_JOB, stateful=True, response_patches=_PAUSED),
    Operation("listFineTuningEvents", "GET", f"{_JOBS}/events", "List a fine-tuning job's events", "Fine-tuning",
              response=f"{_F}:FineTuningJobEvent", response_list=True, stateful=True, query=_CURSOR),
    Operation("listFineTuningJobCheckpoints", "GET", f"{_JOBS}/checkpoints", "List a fine-tuning job's checkpoints",
              "Fine-tuning", response=f"{_F}.jobs:FineTuningJobCheckpoint", response_list=True, stateful=True, query=_CURSOR),
    Operation("createFineTuningCheckpointPermission", "POST", _PERMISSIONS, "Share a checkpoint with projects", "Fine-tuning",
              request=f"{_C}.permission_create_params:PermissionCreateParams", response=f"{__name__}:PermissionPage",
              stateful=True),
    Operation("listFineTuningCheckpointPermissions", "GET", _PERMISSIONS, "List a checkpoint's permissions", "Fine-tuning",
              response=f"{_C}:PermissionRetrieveResponse", stateful=True,
              query=_CURSOR + (("order", {"enum": ["ascending", "descending"]}), ("project_id", {"type": "string"}))),
    Operation("deleteFineTuningCheckpointPermission", "DELETE", f"{_PERMISSIONS}/{{permission_id}}",
              "Delete a checkpoint permission", "Fine-tuning", response=f"{_C}:PermissionDeleteResponse", stateful=True),
    Operation("runGrader", "POST", "/fine_tuning/alpha/graders/run", "Run a grader", "Fine-tuning",
              request=f"{_A}.grader_run_params:GraderRunParams", response=f"{_A}:GraderRunResponse"),
    Operation("validateGrader", "POST", "/fine_tuning/alpha/graders/validate", "Validate a grader", "Fine-tuning",
              request=f"{_A}.grader_validate_params:GraderValidateParams", response=f"{_A}:GraderValidateResponse"),
]
