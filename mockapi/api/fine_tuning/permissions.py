"""Checkpoint permissions: share a fine-tuned checkpoint with projects of the organization."""

from __future__ import annotations

from typing import Any

from mockapi.core.errors import NotFoundError, wrong_length
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo

from . import jobs, training


def _kind(checkpoint: str) -> str:
    return f"checkpoint.permission:{checkpoint}"


def _require_checkpoint(repo: Repo, checkpoint: str) -> None:
    """A checkpoint (or final model) one of the tenant's jobs produced, else 404."""
    jobs.refresh_all(repo)
    if repo.get(training.MODEL_KIND, checkpoint) is not None:
        return
    for job in repo.list(jobs.KIND):
        if any(c["fine_tuned_model_checkpoint"] == checkpoint for c in repo.list(training.checkpoints_kind(job["id"]))):
            return
    raise NotFoundError(f"No fine-tuned model checkpoint found with id '{checkpoint}'.", param="fine_tuned_model_checkpoint")


def create(repo: Repo, checkpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST …/permissions``: one permission per project id, answered as a list page."""
    _require_checkpoint(repo, checkpoint)
    project_ids = list(body["project_ids"])
    if not project_ids:
        raise wrong_length("project_ids", project_ids, 1, too_long=False)
    made = []
    for project_id in project_ids:
        made.append(repo.put(_kind(checkpoint), {"id": repo.new_id("cp_", _kind(checkpoint)), "object": "checkpoint.permission",
                                                 "created_at": repo.now(), "project_id": project_id}))
    return {"object": "list", "data": made, "has_more": False, "first_id": made[0]["id"], "last_id": made[-1]["id"]}


def list_page(repo: Repo, checkpoint: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET …/permissions``: filtered by ``project_id``; ``order`` is ascending or descending."""
    _require_checkpoint(repo, checkpoint)
    items = repo.list(_kind(checkpoint))
    if query.get("project_id"):
        items = [p for p in items if p["project_id"] == query["project_id"]]
    order = {"ascending": "asc", "descending": "desc"}.get(query.get("order") or "descending", "desc")
    return paginate(items, {**query, "order": order}, default_limit=10)


def delete(repo: Repo, checkpoint: str, permission_id: str) -> dict[str, Any]:
    """``DELETE …/permissions/{permission_id}``."""
    _require_checkpoint(repo, checkpoint)
    if not repo.delete(_kind(checkpoint), permission_id):
        raise NotFoundError(f"No permission found with id '{permission_id}'.", param="permission_id")
    return {"id": permission_id, "object": "checkpoint.permission", "deleted": True}
