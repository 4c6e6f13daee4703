"""What an operation is, read from the contract alone: create, retrieve, update, list, delete or action.

- create: POST on a collection path (objects sit at ``{path}/{id}``, or a GET lists them) whose answer has an ``id``;
- retrieve / update / delete: GET / POST / DELETE on ``{collection}/{id}``;
- list: GET on a collection whose answer is a list page (``data``);
- action: anything else (``/batches/{id}/cancel``, ``/images/generations``, ``/organization/usage/...``).

Objects live per collection *template* (``/containers/{}/files``) and per parent ids, so a container's
files are listed under that container only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CREATE, RETRIEVE, UPDATE, LIST, DELETE, ACTION = "create", "retrieve", "update", "list", "delete", "action"


@dataclass(frozen=True)
class Shape:
    """An operation's kind, its collection template and, for item operations, the name of its id parameter."""

    kind: str
    collection: str  # "/containers/{container_id}/files"
    id_param: str | None = None
    verb: str | None = None  # an action's last path segment ("cancel")


def properties(schema: Any, root: Any = None, depth: int = 0) -> dict[str, Any]:
    """The properties an answer may have: its own, or any union branch's (``$ref``s to ``$defs`` followed)."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > 5:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return properties((root.get("$defs") or {}).get(ref[8:]), root, depth + 1)
    found = dict(schema.get("properties") or {})
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key) or []:
            for name, sub in properties(branch, root, depth + 1).items():
                found.setdefault(name, sub)
    return found


def _has_id(schema: dict[str, Any] | None) -> bool:
    return "id" in properties(schema)


def _is_page(schema: dict[str, Any] | None) -> bool:
    props = properties(schema)
    return isinstance(props.get("data"), dict) and props["data"].get("type") == "array"


def collections(contract: Any) -> set[str]:
    """Paths (parameter names dropped) that are collections: something sits at ``{path}/{id}`` or is listed there."""
    found: set[str] = set()
    for op in contract.operations:
        template = re.sub(r"\{\w+\}", "{}", op.path)
        for at in [i for i in range(len(template)) if template.startswith("/{}", i)]:
            found.add(template[:at])  # /chatkit/sessions/{}/cancel: /chatkit/sessions holds objects
        if op.method == "GET" and _is_page(op.response_schema):
            found.add(template)
    return found


def classify(op: Any, known: set[str] | None = None) -> Shape:
    """The :class:`Shape` of one contract operation (``known``: the contract's :func:`collections`)."""
    path, method = op.path, op.method
    is_collection = known is None or re.sub(r"\{\w+\}", "{}", path) in known
    item = re.match(r"^(.*)/\{(\w+)\}$", path)
    if item:
        collection, id_param = item.group(1), item.group(2)
        if method == "GET" and _has_id(op.response_schema):
            return Shape(RETRIEVE, collection, id_param)
        if method == "POST" and _has_id(op.response_schema):
            return Shape(UPDATE, collection, id_param)
        if method == "DELETE":
            return Shape(DELETE, collection, id_param)
        return Shape(ACTION, collection, id_param)
    if method == "POST" and is_collection and _has_id(op.response_schema) and not _is_page(op.response_schema):
        return Shape(CREATE, path)
    if method == "GET" and _is_page(op.response_schema):
        return Shape(LIST, path)
    action = re.match(r"^(.*)/\{(\w+)\}/(\w+)$", path)
    if action:
        return Shape(ACTION, action.group(1), action.group(2), action.group(3))
    return Shape(ACTION, path)


def store_kind(collection: str, path_params: dict[str, str], id_param: str | None = None) -> str:
    """The store kind of a collection's objects: its template plus the parent ids in the request path."""
    template = re.sub(r"\{\w+\}", "{}", collection)
    parents = [v for k, v in path_params.items() if k != id_param and "{" + k + "}" in collection]
    return "generic:" + template + (":" + "/".join(parents) if parents else "")


def singular(word: str) -> str:
    """A collection name in the singular (``batches`` -> ``batch``, ``policies`` -> ``policy``)."""
    for plural, single in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x")):
        if word.endswith(plural):
            return word[: -len(plural)] + single
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
