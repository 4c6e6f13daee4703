"""Answers at validation level ``schema`` take the SDK's types where the real server's answers differ.

The contract describes what the real server sends. Where that breaks the SDK's own types, contractgen
marks the difference: a ``null`` the server sends for a value the SDK's types say is always there (an
eval run without an error says ``"error": null``; its SDK type ``EvalAPIError`` is required) is a
``{"type": "null", "x-server-null": true}`` branch. At level ``faithful`` the answer keeps the null; at
``schema`` (the contract's shapes, as the SDK's types say them) it becomes the blankest value of the
SDK's branch, so SDKs that validate answers strictly parse it.
"""

from __future__ import annotations

from typing import Any

from .determinism import rng
from .instances import instance
from .results import JSON

SERVER_NULL = "x-server-null"
_MARKED: dict[str, bool] = {}  # operationId -> whether its answer schema has a server-only null anywhere


def sdk_answer(op: Any, result: Any) -> Any:
    """``result`` (a handler's JSON answer) with every server-only null replaced by the SDK's value."""
    schema = op.response_schema
    if schema is None or not _marked(op.operation_id, schema):
        return result
    if isinstance(result, JSON):
        return JSON(_shaped(result.body, schema, schema, 0), result.status, result.headers) if result.status == 200 else result
    if isinstance(result, (dict, list)):
        return _shaped(result, schema, schema, 0)
    return result


def _marked(operation_id: str, schema: dict[str, Any]) -> bool:
    found = _MARKED.get(operation_id)
    if found is None:
        found = _MARKED[operation_id] = _has_marker(schema)
    return found


def _has_marker(node: Any) -> bool:
    if isinstance(node, dict):
        return bool(node.get(SERVER_NULL)) or any(_has_marker(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_marker(v) for v in node)
    return False


def _resolved(schema: Any, root: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a local ``#/$defs/X`` reference followed."""
    for _ in range(16):
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/$defs/")):
            return schema
        schema = root.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    return {}


def _shaped(value: Any, schema: Any, root: dict[str, Any], depth: int) -> Any:
    schema = _resolved(schema, root)
    if depth > 32 or not schema:
        return value
    branches = [b for b in schema.get("anyOf", ()) if isinstance(b, dict)]
    if branches:
        sdk = [b for b in branches if not (b.get("type") == "null" and b.get(SERVER_NULL))]
        if value is None and len(sdk) < len(branches) and sdk:
            return blank(sdk[0], root)
        non_null = [b for b in sdk if b.get("type") != "null"]
        return _shaped(value, non_null[0], root, depth + 1) if len(non_null) == 1 else value
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        return {k: _shaped(v, props[k], root, depth + 1) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_shaped(v, schema["items"], root, depth + 1) for v in value]
    return value


def blank(schema: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """The emptiest value ``schema`` allows: "" and 0, required properties only (an error with no error in it)."""
    schema = _resolved(schema, root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema.get("x-synthesize", schema["enum"][0])  # a graded scale's middle (contractgen._graded_middle)
    branches = [b for b in schema.get("anyOf", schema.get("oneOf", ())) if isinstance(b, dict) and b.get("type") != "null"]
    if branches and depth < 8:
        return blank(branches[0], root, depth + 1)
    kind = schema.get("type")
    if kind == "string" and not ({"minLength", "pattern", "format"} & set(schema)):
        return ""
    if kind in ("integer", "number") and not ({"exclusiveMinimum", "exclusiveMaximum", "multipleOf"} & set(schema)):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "array" and not schema.get("minItems"):
        return []
    if kind == "object" and depth < 8:
        props = schema.get("properties") or {}
        return {k: blank(props.get(k, {}), root, depth + 1) for k in schema.get("required", [])}
    return instance({**schema, "$defs": root.get("$defs", {})}, rng("sdk-shape", "blank"))
