"""What the real server requires of a request, where the SDK's ``Required[...]`` markers say more.

The SDK's request TypedDicts mark fields ``Required`` that the real server fills in when absent
(``strict`` on a Responses function tool, ``detail`` on an image, ``id``/``status`` on a replayed
output item). The contract keeps the SDK's list as ``x-sdk-required`` (validation level ``schema``
still enforces it) and ``required`` names only what the server enforces:

* ``x-server-defaults`` in contracts/overlay.yaml lists, per SDK type, the fields the server fills
  in, each entry with its ``source``; those leave ``required``.
* An optional property may be ``null``: the server reads it as absent. Inside a body this is what
  ``item.model_dump()`` sends for the unset fields of an SDK object replayed as input. At the top
  level the SDK's ``Optional`` marks fewer fields than the server takes null for: llama-index's
  ``OpenAIResponses`` sends ``"user": null`` (and null ``include``, ``instructions``, ``metadata``...)
  on every call unless a user is set, and works against the real API. The engine drops such a top-level
  null before anything reads the body. The added branch carries ``x-null-means-absent`` so the SDK's
  view (level ``schema``) can drop it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mockapi.core.contract import NULL_MEANS_ABSENT, SDK_REQUIRED


def _objects(schema: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Every named object schema of a request component, the body's root first: (type name, schema)."""
    yield schema.get("title"), schema
    for name, node in schema.get("$defs", {}).items():
        if isinstance(node, dict):
            yield name, node


def relax_request(schema: dict[str, Any], defaults: dict[str, Any], used: set[str]) -> None:
    """Apply the server's view to one generated request schema in place; note the entries used."""
    for name, node in _objects(schema):
        entry = defaults.get(name or "")
        sdk = list(node.get("required", []))
        if entry and sdk:
            filled = [f for f in entry["fields"] if f in sdk]
            if filled:
                used.add(str(name))
                node[SDK_REQUIRED] = sdk
                node["required"] = [f for f in sdk if f not in filled]
                if not node["required"]:
                    del node["required"]
        _nullable_optionals(node)


def _nullable_optionals(node: dict[str, Any]) -> None:
    required = set(node.get("required", []))
    for prop, sub in node.get("properties", {}).items():
        if prop in required or not isinstance(sub, dict) or _takes_null(sub):
            continue
        node["properties"][prop] = {"anyOf": [sub, {"type": "null", NULL_MEANS_ABSENT: True}]}


def _takes_null(sub: dict[str, Any]) -> bool:
    kinds = sub.get("type")
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(isinstance(b, dict) and b.get("type") == "null" for b in sub.get("anyOf", []))


def check_entries(defaults: dict[str, Any], used: set[str]) -> None:
    """Fail generation on an overlay entry without a source, or one that relaxes nothing (stale)."""
    for name, entry in defaults.items():
        if not str(entry.get("source", "")).strip():
            raise ValueError(f"x-server-defaults.{name} has no source")
        if name not in used:
            raise KeyError(f"x-server-defaults.{name} names no SDK type with those required fields")
