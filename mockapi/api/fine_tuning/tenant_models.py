"""The models a tenant's succeeded fine-tuning jobs made: listed by ``GET /v1/models``, deleted by ``DELETE``."""

from __future__ import annotations

from typing import Any

from mockapi.core.repo import Repo, public

from . import jobs
from .training import MODEL_KIND


def listed(repo: Repo) -> list[dict[str, Any]]:
    """The tenant's fine-tuned models (jobs brought up to date first), oldest first."""
    jobs.refresh_all(repo)
    return [public(m) for m in repo.list(MODEL_KIND)]


def find(repo: Repo, model_id: str) -> dict[str, Any] | None:
    """One of the tenant's fine-tuned models, or None."""
    jobs.refresh_all(repo)
    found = repo.get(MODEL_KIND, model_id)
    return None if found is None else public(found)


def delete(repo: Repo, model_id: str) -> bool:
    """Delete one of the tenant's fine-tuned models; False when it has none by that name."""
    return repo.delete(MODEL_KIND, model_id)
