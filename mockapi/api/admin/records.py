"""What every admin resource shares: list pages, deleted shapes, and contract-shaped objects for plain resources.

A plain resource (certificates, spend alerts, workload identity providers, role assignments, ...) keeps
what the caller set; each operation renders it through its own response schema from the contract: the
stored fields where the schema has them, the rest a deterministic instance (seeded by the object's id),
so a retrieve, a list and an update agree and every answer parses under the SDK's types.
"""

from __future__ import annotations

from typing import Any, Mapping

from mockapi.core.determinism import rng
from mockapi.core.instances import instance
from mockapi.core.pagination import paginate
from mockapi.core.repo import Repo, public


def list_page(call: Any, items: list[dict[str, Any]], *, noun: str = "object", default_order: str = "asc") -> dict[str, Any]:
    """One page of ``items`` (oldest first, as the admin lists give them), in the page style the SDK reads.

    ``after``/``limit`` (1-100, default 20), ``first_id``/``last_id``/``has_more``; the ``SyncNextCursorPage``
    lists (groups, roles) also carry ``next``, the cursor the SDK sends back as ``after``.
    """
    page = paginate([public(o) for o in items], call.query, default_order=default_order, cursor_kind=noun)
    if call.op.raw.get("x-page") == "SyncNextCursorPage":
        page["next"] = page["last_id"] if page["has_more"] else None
    return page


def deleted(object_type: str, object_id: str) -> dict[str, Any]:
    """The shape a delete answers with."""
    return {"object": object_type, "id": object_id, "deleted": True}


def _item_schema(call: Any) -> dict[str, Any] | None:
    schema = call.op.response_schema
    if schema and call.op.raw.get("x-page"):
        items = schema.get("properties", {}).get("data", {}).get("items")
        return {**items, "$defs": schema.get("$defs", {})} if items else None
    return schema


def shaped(call: Any, stored: Mapping[str, Any], *, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """``stored`` rendered through the operation's response (or list item) schema."""
    schema = schema if schema is not None else _item_schema(call)
    if not schema:
        return public(dict(stored))
    filler = instance(schema, rng(call.seed, "admin-object", stored.get("id", "")))
    if not isinstance(filler, dict):
        return public(dict(stored))
    declared = schema.get("properties", {})
    for key, value in stored.items():
        if key in declared and not key.startswith("_") and value is not None and _fits(declared[key], value, schema):
            filler[key] = value
    return filler


def _fits(prop: dict[str, Any], value: Any, root: dict[str, Any]) -> bool:
    """Whether a stored value is valid where the schema puts it (a request's shape is not always the answer's)."""
    from jsonschema import (
        Draft202012Validator,  # loaded on first use: start-up stays light
    )

    return Draft202012Validator({**prop, "$defs": root.get("$defs", {})}).is_valid(value)


class PlainResource:
    """A resource with no rules beyond CRUD: objects kept per parent, rendered through each operation's schema."""

    def __init__(self, kind: str, prefix: str, noun: str, *, id_length: int = 24) -> None:
        self.kind, self.prefix, self.noun, self.id_length = kind, prefix, noun, id_length

    def kind_for(self, parent: str) -> str:
        """The store kind holding the objects under ``parent``."""
        return f"{self.kind}:{parent}" if parent else self.kind

    def create(self, repo: Repo, body: Mapping[str, Any], parent: str = "", object_id: str | None = None) -> dict[str, Any]:
        """Store a new object with the caller's fields (or replace the one ``object_id`` names)."""
        oid = object_id or repo.new_id(self.prefix, self.kind, self.id_length)
        obj = {**dict(body), "id": oid, "created_at": repo.now(), "_parent": parent}
        return repo.put(self.kind_for(parent), obj)

    def get(self, repo: Repo, object_id: str, parent: str = "") -> dict[str, Any]:
        """The object, or the real 404."""
        return repo.require(self.kind_for(parent), object_id, self.noun, self.prefix)

    def update(self, repo: Repo, object_id: str, body: Mapping[str, Any], parent: str = "") -> dict[str, Any]:
        """Merge the caller's non-null fields into the object."""
        obj = self.get(repo, object_id, parent)
        obj.update({k: v for k, v in body.items() if v is not None})
        obj["updated_at"] = repo.now()
        return repo.put(self.kind_for(parent), obj)

    def delete(self, repo: Repo, object_id: str, parent: str = "") -> dict[str, Any]:
        """Remove the object (404 when unknown) and return what it was."""
        obj = self.get(repo, object_id, parent)
        repo.delete(self.kind_for(parent), object_id)
        return obj

    def all(self, repo: Repo, parent: str = "") -> list[dict[str, Any]]:
        """Every object under ``parent``, oldest first."""
        return repo.list(self.kind_for(parent))


class Singleton:
    """A per-organization or per-project setting (spend limit, data retention, permissions): one object, merged on update."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def get(self, repo: Repo, owner: str) -> dict[str, Any]:
        """The stored setting, or an empty one (rendered from the schema)."""
        return repo.get(self.kind, owner) or {"id": owner}

    def update(self, repo: Repo, owner: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Merge the caller's fields into the setting."""
        obj = self.get(repo, owner)
        obj.update({k: v for k, v in body.items() if v is not None})
        obj["id"] = owner
        return repo.put(self.kind, obj)

    def reset(self, repo: Repo, owner: str) -> dict[str, Any]:
        """Drop the setting back to its default."""
        repo.delete(self.kind, owner)
        return {"id": owner}
