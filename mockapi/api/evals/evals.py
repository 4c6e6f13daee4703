"""Evals: a data source config (the schema of ``item`` and ``sample``) and the testing criteria runs are graded by."""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import digest
from mockapi.core.errors import InvalidValueError
from mockapi.core.pages import paginate
from mockapi.core.repo import SYNTHESIZERS, Repo, metadata_of, public, synthetic_time

KIND = "eval"
# What the ``sample`` namespace holds once a run samples a model (the eval guide's sample fields).
SAMPLE_SCHEMA = {"type": "object", "properties": {
    "model": {"type": "string"}, "choices": {"type": "array", "items": {"type": "object"}},
    "output_text": {"type": "string"}, "output_json": {"type": "object"},
    "output_tools": {"type": "array", "items": {"type": "object"}}}, "required": ["model", "choices"]}


def _schema_of(config: dict[str, Any]) -> dict[str, Any]:
    """The data source config as the eval shows it: ``custom`` turns ``item_schema`` into the full ``schema``."""
    kind = config["type"]
    if kind == "custom":
        properties: dict[str, Any] = {"item": config.get("item_schema") or {"type": "object"}}
        required = ["item"]
        if config.get("include_sample_schema"):
            properties["sample"] = SAMPLE_SCHEMA
            required.append("sample")
        return {"type": "custom", "schema": {"type": "object", "properties": properties, "required": required}}
    schema = {"type": "object", "properties": {"item": {"type": "object"}, "sample": SAMPLE_SCHEMA},
              "required": ["item", "sample"]}
    return {"type": kind, "schema": schema, "metadata": config.get("metadata")}


# The roles an eval's model-grader messages can have: the server answers with ``EvalItem``-shaped input
# (openai-python types/graders/label_model_grader.py: role Literal["user","assistant","system","developer"]),
# so it cannot keep any other role; the request type's plain ``str`` is looser than the server.
GRADER_ROLES = ("user", "assistant", "system", "developer")


def _check_grader_roles(criteria: list[Any]) -> None:
    for n, criterion in enumerate(criteria):
        messages = criterion.get("input") if isinstance(criterion, dict) else None
        for m, message in enumerate(messages if isinstance(messages, list) else []):
            role = message.get("role") if isinstance(message, dict) else None
            if role is not None and role not in GRADER_ROLES:
                raise InvalidValueError(f"Invalid value: '{role}'. Supported values are: 'user', 'assistant', 'system', and 'developer'.",
                                        param=f"testing_criteria[{n}].input[{m}].role")


def _criterion(criterion: dict[str, Any], eval_seed: str, n: int) -> dict[str, Any]:
    """A testing criterion with its id (``<name>-<uuid>``, as the real evals show them)."""
    hexed = digest(eval_seed, "criterion", n, size=32)
    uuid = f"{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-a{hexed[17:20]}-{hexed[20:32]}"
    return {**criterion, "id": f"{criterion.get('name', criterion['type'])}-{uuid}"}


def create(repo: Repo, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /evals``."""
    _check_grader_roles(body["testing_criteria"])
    eval_id = repo.new_id("eval_", KIND, length=32)
    now = repo.now()
    obj = {"id": eval_id, "object": "eval", "created_at": now, "name": body.get("name") or "",
           "data_source_config": _schema_of(body["data_source_config"]), "metadata": metadata_of(body, {}),
           "testing_criteria": [_criterion(c, eval_id, n) for n, c in enumerate(body["testing_criteria"])],
           "_updated_at": now}
    return public(repo.put(KIND, obj))


def require(repo: Repo, eval_id: str) -> dict[str, Any]:
    """The stored eval, or 404."""
    return repo.require(KIND, eval_id, "eval", "eval_")


def update(repo: Repo, eval_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /evals/{id}``: name and metadata."""
    obj = require(repo, eval_id)
    if body.get("name") is not None:
        obj["name"] = body["name"]
    if "metadata" in body:
        obj["metadata"] = metadata_of(body) or {}
    obj["_updated_at"] = repo.now()
    return public(repo.put(KIND, obj))


def list_page(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /evals``: by creation (default) or last update, oldest first by default as the API documents."""
    items = repo.list(KIND)
    if query.get("order_by") == "updated_at":
        items.sort(key=lambda e: e["_updated_at"])
    return paginate([public(e) for e in items], query, default_order="asc")


def delete(repo: Repo, eval_id: str, runs_kind: str) -> dict[str, Any]:
    """``DELETE /evals/{id}`` with its runs."""
    require(repo, eval_id)
    for run in repo.list(runs_kind):
        repo.delete(runs_kind, run["id"])
    repo.delete(KIND, eval_id)
    return {"object": "eval.deleted", "deleted": True, "eval_id": eval_id}


def _synthesize(repo: Repo, eval_id: str, scope: dict[str, str]) -> dict[str, Any]:
    return {"id": eval_id, "object": "eval", "created_at": synthetic_time(eval_id), "name": "synthesized", "metadata": {},
            "data_source_config": _schema_of({"type": "custom", "item_schema": {"type": "object"}}), "testing_criteria": []}


SYNTHESIZERS[KIND] = _synthesize
