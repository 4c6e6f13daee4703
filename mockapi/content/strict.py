"""Strict-mode rules for function parameters and ``json_schema`` formats (reference §6.2, §7.5).

The contract lists the rules (``x-strict-mode-rules``); this module enforces them and names
the path of the first violation, e.g. ``tools[0].function.parameters.properties.unit``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from mockapi.core.json_memo import once_per_json_text

_ALLOWED_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
_COMPOSITE_ROOT = ("anyOf", "oneOf", "allOf", "$ref")


def violations(schema: Any, base: str) -> Iterator[tuple[str, str]]:
    """Every strict-mode violation in ``schema`` as (path, message); ``base`` prefixes the paths."""
    if not isinstance(schema, dict):
        yield base, "schema must be a JSON object"
        return
    for key in _COMPOSITE_ROOT:
        if key in schema:
            yield base, f"the root schema must be an object, not '{key}'"
            return
    if schema.get("type") != "object":
        yield base, "the root schema must have type 'object'"
        return
    yield from _walk(schema, base, schema)


@once_per_json_text()  # by the schema's JSON text and the path prefix: an error is not kept, so it is raised again
def first_violation(schema: Any, base: str) -> tuple[str, str] | None:
    """The first of :func:`violations`, or None; read once per schema text (a client sends the same schemas again and again)."""
    return next(violations(schema, base), None)


def schema_context(path: str, base: str) -> str:
    """A strict-schema path as the real message shows it: the keys below the schema root as a Python tuple.

    source: "In context=(), ..." at the root, "In context=('properties', 'table_schema'), ..." below it
    (github.com/dottxt-ai/outlines/issues/1666, github.com/moeru-ai/xsai/issues/202).
    """
    rest = path.removeprefix(base)
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", rest):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return repr(tuple(parts))


def _walk(node: Any, path: str, root: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if not isinstance(node, dict):
        return
    types = node.get("type")
    type_list = types if isinstance(types, list) else [types] if types is not None else []
    for t in type_list:
        if t not in _ALLOWED_TYPES:
            yield f"{path}.type", f"type '{t}' is not supported in strict mode"
    if "object" in type_list or "properties" in node:
        props = node.get("properties", {})
        if node.get("additionalProperties") is not False:
            yield path, "'additionalProperties' is required to be supplied and to be false"
        required = node.get("required", [])
        missing = [name for name in props if name not in required]
        if missing:
            yield path, f"'required' is required to be supplied and to be an array including every key in properties. Missing '{missing[0]}'"
        for name, sub in props.items():
            yield from _walk(sub, f"{path}.properties.{name}", root)
    if "items" in node:
        yield from _walk(node["items"], f"{path}.items", root)
    for key in ("anyOf",):
        for i, sub in enumerate(node.get(key, [])):
            yield from _walk(sub, f"{path}.{key}[{i}]", root)
    for key in ("oneOf", "allOf"):
        if key in node:
            yield f"{path}.{key}", f"'{key}' is not permitted in strict mode"
    for defs_key in ("$defs", "definitions"):
        for name, sub in (node.get(defs_key) or {}).items():
            yield from _walk(sub, f"{path}.{defs_key}.{name}", root)
