"""Generate the project's OpenAPI 3.1 contract from the installed ``openai`` SDK's own types.

Run ``python -m mockapi.contractgen`` to rewrite ``contracts/openapi.json``; ``--check`` exits
non-zero when regenerating would change it. Each ``ops_*`` module in this package lists the
operations of one resource, so adding a resource never touches another resource's list.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
import typing
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_PATH = ROOT / "contracts" / "openapi.json"
OVERLAY_PATH = ROOT / "contracts" / "overlay.yaml"

from .shapes import (  # noqa: E402  (ops_* modules import Operation from here)
    Operation,
    _json_schema,
    _load,
    _uploads_as_binary,
    lend_beta_fields,
    streams,
)

__all__ = ["Operation", "_json_schema", "_load", "_uploads_as_binary", "build_document", "operations", "render"]


def _component(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    # Each component keeps its own $defs (names never collide), referenced from the document root.
    schema = _stable_unions(copy.deepcopy(schema))
    _repair_refs(schema, schema.get("$defs", {}))
    return _anchor_refs(schema, f"#/components/schemas/{name}/")


def _anchor_refs(node: Any, base: str) -> Any:
    """Each local ``#/$defs/X`` written from the document root (``#/components/schemas/NAME/$defs/X``).

    Components keep their own ``$defs`` (names never collide); the references say where from the top of
    the document, as OpenAPI tools resolve them. The run-time contract reads them back as local ones
    (``mockapi.core.contract_cache.local_refs``).
    """
    if isinstance(node, list):
        return [_anchor_refs(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _anchor_refs(v, base) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        out["$ref"] = base + ref[2:]
    return out


def _repair_refs(node: Any, defs: dict[str, Any]) -> None:
    """Point each dangling ``#/$defs/X`` at the one definition named after X.

    pydantic sometimes names a definition after the Python class (``MultiAgentConfigParam``) but refers
    to it by the type's title (``MultiAgentConfig``); a dangling reference with no such match becomes ``{}``.
    """
    if isinstance(node, list):
        for item in node:
            _repair_refs(item, defs)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] not in defs:
        wanted = ref[8:]
        matches = [k for k in defs if k.startswith(wanted) or defs[k].get("title") == wanted]
        if len(matches) == 1:
            node["$ref"] = f"#/$defs/{matches[0]}"
        else:
            del node["$ref"]
    for value in node.values():
        _repair_refs(value, defs)


def explicit_operations() -> list[Operation]:
    """The operations listed by hand in the ``ops_*`` modules of this package (the overrides)."""
    ops: list[Operation] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):  # type: ignore[name-defined]
        if info.name.startswith("ops_"):
            ops.extend(importlib.import_module(f"{__name__}.{info.name}").OPERATIONS)
    return ops


_SCALAR_ORDER = ("string", "integer", "number", "boolean", "null")


def _stable_unions(node: Any) -> Any:
    """``node`` with every union of plain scalar types written in one order.

    typing caches ``Union[str, bool, int]`` and ``Union[str, int, bool]`` as one (they compare equal), so
    the order pydantic sees depends on which was built first in the process: under pytest it can differ
    from a plain run, and the contract must not.
    """
    if isinstance(node, list):
        return [_stable_unions(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _stable_unions(v) for k, v in node.items()}
    branches = out.get("anyOf")
    if isinstance(branches, list) and branches and all(
            isinstance(b, dict) and set(b) == {"type"} and b["type"] in _SCALAR_ORDER for b in branches):
        out["anyOf"] = sorted(branches, key=lambda b: _SCALAR_ORDER.index(b["type"]))
    return out


# A graded scale's values, as the SDK's enums hold them: both ends grew over the SDK's generations.
_SCALE = {"low", "medium", "high"}


def _graded_middle(node: Any) -> None:
    """Mark the middle of every low/medium/high scale in a response schema as the value answers make up.

    Answers made up from the contract (level ``schema``) give an enum's first value, the one the oldest SDK
    knows when values are appended; reasoning effort grew at both ends instead (``minimal`` and ``none``
    before ``low`` in openai-python 1.x and 2.x, ``xhigh`` and ``max`` after ``high``), so its first value
    fails every older SDK's strict check. ``medium`` is in every generation's list.
    """
    if isinstance(node, list):
        for item in node:
            _graded_middle(item)
    elif isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and _SCALE <= set(values) and values[0] != "medium":
            node.setdefault("x-synthesize", "medium")
        for value in node.values():
            _graded_middle(value)


def operations() -> list[Operation]:
    """Every operation of the installed SDK (discovered), the ``ops_*`` lists winning, sorted by path."""
    from .discovered import discovered_operations

    return sorted(discovered_operations(explicit_operations()), key=lambda o: (o.path, o.method))


def sdk_model_names() -> dict[str, list[str]]:
    """Model ids named by the SDK's model-name types, by family."""
    import importlib

    namespaces = [importlib.import_module(m) for m in ("openai.types", "openai.types.shared", "openai.types.audio")]

    def literals(tp: Any) -> set[str]:
        out: set[str] = set()
        for arg in typing.get_args(tp):
            if isinstance(arg, str):
                out.add(arg)
            else:
                out |= literals(arg)
        return out

    families = {
        "chat": ["ChatModel", "ResponsesModel"],
        "embedding": ["EmbeddingModel"],
        "image": ["ImageModel"],
        "audio": ["AudioModel"],
        "speech": ["SpeechModel"],
        "moderation": ["ModerationModel"],
    }
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    for family, names in families.items():
        ids: set[str] = set()
        for name in names:
            tp = next((getattr(ns, name) for ns in namespaces if hasattr(ns, name)), None)
            if tp is not None:
                ids |= literals(tp)
        found[family] = sorted(ids - seen)
        seen |= ids
    return found


def build_document() -> dict[str, Any]:
    """The full contract: generated shapes merged with the hand-written overlay."""
    import openai

    from .discovered import next_cursor
    from .dress import dress
    from .server_view import check_entries, relax_request

    overlay = yaml.safe_load(OVERLAY_PATH.read_text())
    server_defaults = overlay.get("x-server-defaults", {})
    relaxed: set[str] = set()
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for op in operations():
        item: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "tags": [op.tag],
            "responses": {},
        }
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in re.findall(r"{(\w+)}", op.path)
        ]
        params += [{"name": n, "in": "query", "required": bool(s.get("x-required")),  # x-required: the API insists on it
                    "schema": {k: v for k, v in s.items() if k != "x-required"}} for n, s in op.query]
        if params:
            item["parameters"] = params
        if op.request:
            name = f"{op.operation_id}Request"
            schema = _json_schema(_load(op.request), "validation")
            if op.beta_request:
                lend_beta_fields(schema, op.beta_request)
            for param in re.findall(r"{(\w+)}", op.path):  # the SDK's params types name path ids it sends in the path
                schema.get("properties", {}).pop(param, None)
                if param in schema.get("required", []):
                    schema["required"] = [r for r in schema["required"] if r != param]
            if op.request_content == "application/json" and "properties" in schema:
                # The real API rejects unknown top-level parameters; the SDK's TypedDicts don't say so.
                # (A union of request forms has no top-level properties to close.)
                schema["additionalProperties"] = False
                if op.stream_event or streams(op.request):
                    schema.setdefault("properties", {})["stream"] = {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
                relax_request(schema, server_defaults, relaxed)
            schemas[name] = _component(name, schema)
            item["requestBody"] = {"required": True, "content": {op.request_content: {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
        ok: dict[str, Any] = {"description": "OK"}
        content: dict[str, Any] = {}
        if op.response:
            name = f"{op.operation_id}Response"
            inner = _json_schema(_load(op.response), "serialization")
            if op.response_list:
                defs = inner.pop("$defs", {})
                inner = {
                    "type": "object",
                    "required": ["object", "data"],
                    "properties": {
                        "object": {"const": "list"},
                        "data": {"type": "array", "items": inner},
                        "first_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "last_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "has_more": {"type": "boolean"},
                        **({"next": {"anyOf": [{"type": "string"}, {"type": "null"}]}} if next_cursor(op) else {}),
                    },
                    **({"$defs": defs} if defs else {}),
                }
            for pointer, replacement in op.response_patches:
                _replace_at(inner, pointer, replacement)
            _graded_middle(inner)
            schemas[name] = _component(name, inner)
            content[op.response_content] = {"schema": {"$ref": f"#/components/schemas/{name}"}}
        elif op.response_content != "application/json":
            content[op.response_content] = {"schema": {"type": "string", "format": "binary"}}
        if op.stream_event:
            name = f"{op.operation_id}StreamEvent"
            event = _json_schema(_load(op.stream_event), "serialization")
            _graded_middle(event)
            schemas[name] = _component(name, event)
            content["text/event-stream"] = {
                "schema": {"$ref": f"#/components/schemas/{name}"},
                "x-stream-dialect": op.stream_dialect,
            }
        if content:
            ok["content"] = content
        item["responses"]["200"] = ok
        item["responses"]["default"] = {"$ref": "#/components/responses/Error"}
        if op.stateful:
            item["x-stateful"] = True
        item.update({f"x-{k}": v for k, v in op.extra.items()})
        paths.setdefault(op.path, {})[op.method.lower()] = item

    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "mockapi contract for the OpenAI API",
            "version": "1",
            "x-openai-sdk-version": openai.__version__,
            "description": "Generated by `python -m mockapi.contractgen` from the openai SDK's types plus contracts/overlay.yaml. Do not edit by hand.",
        },
        "servers": [{"url": "/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
        "x-sdk-models": sdk_model_names(),
    }
    check_entries(server_defaults, relaxed)
    _merge(doc, overlay)
    dress(doc)
    return doc


def _replace_at(schema: dict[str, Any], pointer: str, replacement: dict[str, Any]) -> None:
    parts = pointer.strip("/").split("/")
    node = schema
    for part in parts[:-1]:
        node = node[part]
    if parts[-1] not in node:
        raise KeyError(f"response patch {pointer!r} names nothing in the generated schema")
    node[parts[-1]] = replacement


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def render(doc: dict[str, Any]) -> str:
    """The canonical text of the contract (sorted keys, stable indentation)."""
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
