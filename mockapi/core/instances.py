"""Deterministic instances of a JSON Schema: structured outputs and tool-call arguments.

Covers what structured outputs use: objects, arrays, enums and consts, ``anyOf`` (with null),
``$defs``/``$ref``, numeric bounds, string lengths and common formats. Optional properties are
included, and ``anyOf [T, null]`` picks ``T``, so answers carry content.

Made-up answers are conservative, so every SDK generation parses them with strict validation: an enum
gives its first value (the oldest: the SDK appends new ones), a union its first branch (a constrained one,
an enum or a const, before a free string), and a property the request named (``hints``) echoes the
request's value when it fits the schema (a requested ``size`` or ``output_format``).
"""

from __future__ import annotations

import random
import re
from typing import Any, Mapping

from .determinism import below, between

_WORDS = ("alpha", "bravo", "delta", "echo", "harbor", "maple", "river", "summit", "copper", "lumen", "orbit", "willow")
_MAX_DEPTH = 60  # a hard stop for recursive schemas
_LEAN_DEPTH = 10  # past this, objects keep only required properties and arrays their minimum


def instance(schema: Any, r: random.Random, *, hints: Mapping[str, Any] | None = None) -> Any:
    """A value that validates against ``schema``; ``hints`` fill string properties by name."""
    if type(schema) is dict and schema.get("type") == "string" and schema.keys() <= _PLAIN_STRING:
        return _word(r)  # what the walk below gives a plain string (hints name properties, and the root has no name)
    schema = sanitized(schema)
    return _gen(schema, r, schema if isinstance(schema, dict) else {}, {**(hints or {}), _BUDGET: [_MAX_NODES]}, 0, None)


_PLAIN_STRING = frozenset({"type", "description", "title"})  # a string schema with only these: any word will do
_BUDGET = "\0nodes"  # a hints entry counting the values still allowed, so no schema makes an answer unbounded
_MAX_NODES = 20_000
_MAX_COUNT = {"minItems": 1_000, "minLength": 10_000}  # more than this is clamped (the node budget bounds the rest)
_NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_COUNT_KEYWORDS = ("minItems", "maxItems", "minLength", "maxLength")


def sanitized(schema: Any) -> Any:
    """``schema`` without the keywords the filler could not follow (a caller's schema may be malformed).

    Non-numeric bounds (``minimum: "zz"``), patterns that do not compile, an ``enum`` that is not a
    list, non-schema union branches go; huge ``minItems``/``minLength`` are clamped. What remains is
    what a valid schema would say, so a malformed one gets a best-effort value instead of a crash.
    """
    if isinstance(schema, list):
        return [sanitized(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _NUMBER_KEYWORDS:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15 \
                    and (key != "multipleOf" or value > 0):
                out[key] = value
        elif key in _COUNT_KEYWORDS:
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                out[key] = min(value, _MAX_COUNT.get(key, value))
        elif key == "pattern":
            if isinstance(value, str) and _compiles(value):
                out[key] = value
        elif key in ("enum", "required", "type"):
            if isinstance(value, list) or (key == "type" and isinstance(value, str)):
                out[key] = value if key != "required" else [v for v in value if isinstance(v, str)]
        elif key in ("anyOf", "oneOf", "allOf"):
            if isinstance(value, list):
                out[key] = [sanitized(v) for v in value if isinstance(v, dict)]
        elif key in ("properties", "$defs", "definitions"):
            if isinstance(value, dict):
                out[key] = {k: sanitized(v) for k, v in value.items()}
        elif key == "items":
            if isinstance(value, (dict, bool)):
                out[key] = sanitized(value)
        elif key == "$ref":
            if isinstance(value, str):
                out[key] = value
        else:
            out[key] = value
    return out


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _resolve(ref: str, root: dict[str, Any]) -> Any:
    node: Any = root
    for part in ref.lstrip("#/").split("/"):
        if part:
            try:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            except (KeyError, TypeError, IndexError):
                return {}  # a dangling reference: any value
    return node if isinstance(node, dict) else {}


def _gen(schema: Any, r: random.Random, root: dict[str, Any], hints: dict[str, Any], depth: int, name: str | None) -> Any:
    budget = hints.get(_BUDGET)
    if budget is not None:
        budget[0] -= 1
        if budget[0] < 0 or depth > _MAX_DEPTH:
            return None  # out of room (or a reference to itself, `$ref: "#"`): the answer stops growing here
    if not isinstance(schema, dict) or schema is True:
        return _word(r)
    if "$ref" in schema:
        target = _resolve(schema["$ref"], root)
        referred = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return _gen(referred, r, root, hints, depth + 1, name)
    if "const" in schema:
        return schema["const"]
    if name is not None and name in hints and _fits(hints[name], _echoable(schema), root):
        return hints[name]  # echo what the request asked for
    if "x-synthesize" in schema:  # the contract names the value to make up (contractgen: patches, graded scales)
        return schema["x-synthesize"]
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema and schema[key]:
            options = [o for o in schema[key] if not (isinstance(o, dict) and o.get("type") == "null")]
            if not options or (depth > _LEAN_DEPTH and len(options) < len(schema[key])):
                return None  # null is allowed here: the shortest way out of deep nesting
            constrained = [o for o in options if isinstance(o, dict) and ("enum" in o or "const" in o)]
            return _gen((constrained or options)[0], r, root, hints, depth + 1, name)
    if "allOf" in schema and schema["allOf"]:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            part = _resolve(part["$ref"], root) if isinstance(part, dict) and "$ref" in part else part
            for k, v in part.items():
                if k == "properties":
                    merged.setdefault("properties", {}).update(v)
                elif k == "required":
                    merged["required"] = [*merged.get("required", []), *v]
                else:
                    merged[k] = v
        return _gen(merged, r, root, hints, depth + 1, name)
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        kind = non_null[0] if non_null else "null"
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "null" or depth > _MAX_DEPTH:
        return None
    lean = depth > _LEAN_DEPTH
    if kind == "object":
        out: dict[str, Any] = {}
        required = set(schema.get("required", []))
        for prop, sub in (schema.get("properties") or {}).items():
            if lean and prop not in required:
                continue
            out[prop] = _gen(sub, r, root, hints, depth + 1, prop)
        for prop in schema.get("required", []):
            out.setdefault(prop, _word(r))
        return out
    if kind == "array":
        low = int(schema.get("minItems", 0 if lean else 1))
        high = int(schema.get("maxItems", max(low, 3)))
        if lean:
            high = low
        count = between(r, low, max(low, min(high, low + 2)))
        items = schema.get("items", {})
        values = [_gen(items, r, root, hints, depth + 1, name) for _ in range(count)]
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for v in values:
                if v not in seen:
                    seen.append(v)
            values = seen
        return values
    if kind == "boolean":
        return r.random() < 0.5
    if kind in ("integer", "number"):
        return _number(schema, r, kind == "integer")
    return _string(schema, r, hints, name)


def _echoable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without the union branches a request's value must not be echoed into (``x-no-echo``)."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or not any(isinstance(b, dict) and b.get("x-no-echo") for b in branches):
        return schema
    return {**schema, "anyOf": [b for b in branches if not (isinstance(b, dict) and b.get("x-no-echo"))]}


def _fits(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """Whether a scalar the request sent is a valid value for ``schema`` (so echoing it is safe)."""
    if isinstance(value, (dict, list)) or value is None:
        return False
    try:
        from jsonschema import Draft202012Validator

        return Draft202012Validator({**schema, "$defs": root.get("$defs", {})}).is_valid(value)
    except Exception:  # noqa: BLE001 - a schema the validator can't read: don't echo
        return False


def _number(schema: dict[str, Any], r: random.Random, integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    high = schema.get("maximum", schema.get("exclusiveMaximum", max(low, 0) + 100))
    if "exclusiveMinimum" in schema and "minimum" not in schema:
        low = low + (1 if integer else 0.5)
    if "exclusiveMaximum" in schema and "maximum" not in schema:
        high = high - (1 if integer else 0.5)
    if high < low:
        high = low
    if integer:
        import math

        lo, hi = math.ceil(low), math.floor(high)
        value: int | float = between(r, lo, hi) if hi >= lo else lo
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = max(lo, (int(value) // step) * step)
        return value
    return round(r.uniform(low, high), 2) if high > low else float(low)


def _string(schema: dict[str, Any], r: random.Random, hints: dict[str, Any], name: str | None) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        value = f"2025-0{between(r, 1, 9)}-1{between(r, 0, 9)}T12:{between(r, 10, 59)}:00Z"
    elif fmt == "date":
        value = f"2025-0{between(r, 1, 9)}-1{between(r, 0, 9)}"
    elif fmt == "time":
        value = f"12:{between(r, 10, 59)}:00"
    elif fmt == "email":
        value = f"{_word(r)}@example.com"
    elif fmt in ("uri", "url"):
        value = f"https://example.com/{_word(r)}"
    elif fmt == "uuid":
        value = "%08x-%04x-4%03x-8%03x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12), r.getrandbits(12), r.getrandbits(48))
    elif name and name in hints and isinstance(hints[name], str):
        value = str(hints[name])  # a str already: the same value, typed as the others
    else:
        value = _word(r) if not name else f"{name.replace('_', ' ')} {_word(r)}"
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, value):
        value = _from_pattern(pattern, r) or value
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    while len(value) < low:
        value += _word(r)
    if high is not None:
        value = value[: int(high)]
    return value


def _from_pattern(pattern: str, r: random.Random) -> str | None:
    # Common simple patterns only; anything else keeps the plain value.
    simple = {r"^\d+$": "42", r"^[0-9]+$": "42", r"^[a-z]+$": "alpha", r"^[A-Z]{3}$": "USD", r"^[A-Z]{2}$": "US"}
    return simple.get(pattern)


def _word(r: random.Random) -> str:
    return _WORDS[below(r, len(_WORDS))]
