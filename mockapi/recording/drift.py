"""Drift: what recorded answers say that the current contract does not know.

Every recorded 2xx answer (JSON body, or each stream event) is walked along its operation's response
schema: a field the schema does not declare, and a value outside an enum (or a ``const`` discriminator
no branch knows), are drift, as is anything the contract's validator refuses. Such drift means the
contract, or the SDK it is generated from, is behind the API. ``check_live`` also re-sends the recorded
requests upstream and compares the live answers' shapes (keys and types, not values) with the recorded ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockapi.core.contract import Contract, load_contract

from .fixture import Cassette, Fixture
from .replay import stream_data


@dataclass(frozen=True)
class Finding:
    """One piece of drift."""

    fixture: str
    operation: str
    path: str
    kind: str  # "unknown field", "outside enum", "invalid", "unknown operation", "shape"
    detail: str


def check_directory(directory: str | Path, contract: Contract | None = None) -> list[Finding]:
    """The drift of every recorded answer in ``directory`` against the contract."""
    if not Path(directory).is_dir():
        raise ValueError(f"{directory} is not a directory of fixtures")
    contract = contract or load_contract()
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for fixture in Cassette(directory).fixtures:
        for finding in check_fixture(fixture, contract):
            key = (finding.operation, finding.path, finding.kind)
            if key not in seen:  # one line per place, however many fixtures show it
                seen.add(key)
                findings.append(finding)
    return findings


def check_fixture(fixture: Fixture, contract: Contract) -> list[Finding]:
    """The drift of one recorded answer."""
    op = contract.by_id.get(fixture.operation)
    if op is None:
        return [Finding(fixture.name, fixture.operation, "", "unknown operation", "the contract has no such operationId")]
    if fixture.status >= 300:
        return []
    out: list[Finding] = []
    if "body" in fixture.response and op.response_schema is not None:
        out += _walked(fixture, op.response_schema, fixture.response["body"], "")
        out += [_invalid(fixture, e) for e in contract.response_errors(op.operation_id, fixture.response["body"])]
    if "stream" in fixture.response and op.stream_schema is not None:
        for data in stream_data(fixture.response["stream"]):
            if isinstance(data, dict):
                out += _walked(fixture, op.stream_schema, data, "event")
                out += [_invalid(fixture, e) for e in contract.response_errors(op.operation_id, data, stream=True)]
    return out


def _invalid(fixture: Fixture, error: str) -> Finding:
    path, _, detail = error.partition(": ")
    return Finding(fixture.name, fixture.operation, path, "invalid", detail)


def _walked(fixture: Fixture, schema: dict[str, Any], value: Any, path: str) -> list[Finding]:
    raw: list[tuple[str, str, str]] = []
    _walk(schema, value, schema, path, raw)
    return [Finding(fixture.name, fixture.operation, p, kind, detail) for p, kind, detail in raw]


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and str(schema.get("$ref", "")).startswith("#/$defs/"):
        schema = root.get("$defs", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _fits(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    if kind is None:
        return True
    kinds = kind if isinstance(kind, list) else [kind]
    for k in kinds:
        if k in ("integer", "number"):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and (k == "number" or float(value).is_integer()):
                return True
        elif k in _TYPES and isinstance(value, _TYPES[k]):
            return True
    return False


def _score(branch: dict[str, Any], value: Any, root: dict[str, Any]) -> float:
    """How well a union branch describes ``value``: its type, its pinned discriminators, its known keys."""
    if not _fits(branch, value) and not any(k in branch for k in ("anyOf", "oneOf", "allOf")):
        return -1000.0
    if not isinstance(value, dict):
        return 0.0
    props = branch.get("properties", {})
    score = float(len(set(value) & set(props))) - 0.1 * len(set(value) - set(props))
    for name, prop in props.items():
        prop = _resolve(prop, root)
        if isinstance(prop, dict) and name in value:
            pinned = [prop["const"]] if "const" in prop else prop.get("enum") or []
            if len(pinned) == 1:
                score += 100.0 if value[name] == pinned[0] else -50.0
    return score


def _walk(schema: Any, value: Any, root: dict[str, Any], path: str, out: list[tuple[str, str, str]]) -> None:
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        resolved = [_resolve(b, root) for b in branches]
        best = max(resolved, key=lambda b: _score(b, value, root) if isinstance(b, dict) else -1e9)
        _walk(best, value, root, path, out)
        return
    for part in schema.get("allOf", []):
        _walk(part, value, root, path, out)
    if "enum" in schema and value not in schema["enum"]:
        out.append((path or "<root>", "outside enum", f"{value!r} not in {schema['enum']}"))
    elif "const" in schema and value != schema["const"]:
        out.append((path or "<root>", "outside enum", f"{value!r}, expected {schema['const']!r}"))
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        for name, item in value.items():
            where = f"{path}.{name}" if path else name
            if name in props:
                _walk(props[name], item, root, where, out)
            else:
                out.append((where, "unknown field", f"{type(item).__name__} value the contract does not declare"))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _walk(schema["items"], item, root, f"{path}[]", out)


def shape(value: Any, path: str = "") -> dict[str, str]:
    """Every path of a JSON value with its type name (list items merged under ``[]``)."""
    out = {path or "<root>": type(value).__name__}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(shape(v, f"{path}.{k}" if path else k))
    elif isinstance(value, list):
        for v in value:
            out.update(shape(v, f"{path}[]"))
    return out


def shape_differences(recorded: Any, live: Any) -> list[tuple[str, str]]:
    """Where two answers' shapes differ: (path, what changed)."""
    a, b = shape(recorded), shape(live)
    out = []
    for p in sorted(set(a) | set(b)):
        if p not in b:
            out.append((p, f"recorded ({a[p]}), gone live"))
        elif p not in a:
            out.append((p, f"new live ({b[p]})"))
        elif a[p] != b[p] and "NoneType" not in (a[p], b[p]):
            out.append((p, f"type {a[p]} -> {b[p]}"))
    return out


def check_live(directory: str | Path, upstream: str, api_key: str) -> list[Finding]:
    """Re-send each recorded JSON request to ``upstream``; the shape differences of the live answers."""
    import httpx

    findings = []
    with httpx.Client(timeout=600.0) as client:
        for fixture in Cassette(directory).fixtures:
            request = fixture.match.get("request") or {}
            if fixture.status >= 300 or "form_sha256" in request or fixture.mode != "exact":
                continue  # uploads are not kept, and hand-written patterns are not requests
            method = fixture.request.get("method", "POST")
            path = str(fixture.request.get("path", ""))
            url = upstream.rstrip("/") + (path[3:] if path.startswith("/v1/") else path)
            reply = client.request(method, url, params=request.get("query") or None, json=request.get("body"),
                                   headers={"authorization": f"Bearer {api_key}"})
            if "stream" in fixture.response:
                recorded = [d for d in stream_data(fixture.response["stream"]) if isinstance(d, dict)]
                live = [d for d in stream_data(_events(reply.text)) if isinstance(d, dict)]
            else:
                recorded, live = fixture.response.get("body"), (reply.json() if "json" in reply.headers.get("content-type", "") else None)
            if reply.status_code != fixture.status:
                findings.append(Finding(fixture.name, fixture.operation, "<status>", "shape", f"{fixture.status} -> {reply.status_code}"))
                continue
            findings += [Finding(fixture.name, fixture.operation, p, "shape", d) for p, d in shape_differences(recorded, live)]
    return findings


def _events(text: str) -> list[dict[str, Any]]:
    return [{"raw": raw} for raw in text.replace("\r\n", "\n").split("\n\n") if raw.strip()]


def render(findings: list[Finding]) -> str:
    """The drift table (or a line saying there is none)."""
    if not findings:
        return "no drift: every recorded answer fits the contract"
    rows = [("fixture", "operation", "path", "drift", "detail")]
    rows += [(f.fixture, f.operation, f.path, f.kind, f.detail[:100]) for f in findings]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines) + f"\n{len(findings)} drift finding(s)"
