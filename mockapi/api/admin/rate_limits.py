"""A project's rate limits: one ``project.rate_limit`` per model (id ``rl-<model>``), from the tier table.

The defaults are the limits the mock's rate limiter applies at the configured tier (fixtures/tiers.yaml);
an update changes what the list reports (the real API lets a project lower, not raise, its limits; the
mock keeps what it is given).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

import yaml

from mockapi.core.errors import NotFoundError
from mockapi.core.paths import fixtures_dir
from mockapi.core.repo import Repo

RATE_LIMIT = "admin.rate_limit"
SETTABLE = ("max_requests_per_1_minute", "max_tokens_per_1_minute", "max_images_per_1_minute",
            "max_audio_megabytes_per_1_minute", "max_requests_per_1_day", "batch_1_day_max_input_tokens")


@lru_cache(maxsize=1)
def _tiers() -> dict[str, Any]:
    return yaml.safe_load((fixtures_dir() / "tiers.yaml").read_text())


def _family(model: str) -> str:
    return next(f["family"] for f in _tiers()["families"] if re.search(f["pattern"], model))


def default_limit(model: str, tier: str) -> dict[str, Any]:
    """The tier table's limits for ``model`` as a ``project.rate_limit``."""
    row = _tiers()["tiers"].get(tier) or _tiers()["tiers"]["tier-5"]
    family = _family(model)
    return {"object": "project.rate_limit", "id": f"rl-{model}", "model": model,
            "max_requests_per_1_minute": row["rpm"], "max_tokens_per_1_minute": row["tpm"][family],
            "max_requests_per_1_day": row["rpd"], "max_images_per_1_minute": row["ipm"],
            "batch_1_day_max_input_tokens": row["tpd"][family]}


def listed(call: Any, repo: Repo, project_id: str) -> list[dict[str, Any]]:
    """Every model's limit for the project, with the project's changes applied."""
    tier = call.key.tier or call.settings.tier
    changed = {o["id"]: o for o in repo.list(f"{RATE_LIMIT}:{project_id}")}
    return [changed.get(f"rl-{m.id}", default_limit(m.id, tier)) for m in call.catalog.all()]


def update(call: Any, repo: Repo, project_id: str, limit_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Change one model's limits for the project (404 for an id no model has)."""
    current = next((o for o in listed(call, repo, project_id) if o["id"] == limit_id), None)
    if current is None:
        raise NotFoundError(f"No rate limit found with id '{limit_id}'.")
    current.update({k: v for k, v in body.items() if k in SETTABLE and v is not None})
    return repo.put(f"{RATE_LIMIT}:{project_id}", current)
