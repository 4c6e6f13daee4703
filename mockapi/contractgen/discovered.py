"""The contract's operation list: the hand-written ``ops_*`` overrides plus everything discovered in the SDK.

An explicit :class:`~mockapi.contractgen.Operation` for the same (method, path template) wins over a
discovered one (path parameter names do not matter), so hand-written operation ids, request forms and
response patches stay. Among discovered operations the first wins, non-beta resources first
(``client.beta.responses`` posts to the same ``/responses`` as ``client.responses``); the winner also
takes the top-level body fields only the beta method's params type has (``multi_agent``).
"""

from __future__ import annotations

import re
from typing import Any

from .discover import Found, discover

_NEXT_PAGES = ("SyncNextCursorPage", "SyncTokenPage")


def route_key(method: str, path: str) -> tuple[str, str]:
    """(method, path template without its parameter names or query string): what two listings share."""
    return method.upper(), re.sub(r"{\w+}", "{}", path.split("?", 1)[0])


def merge(explicit: list[Any], found: list[Found]) -> list[Any]:
    """Explicit operations plus every discovered one whose route no explicit operation has."""
    from dataclasses import replace

    from .shapes import Operation

    taken = {route_key(op.method, op.path): i for i, op in enumerate(explicit)}
    ids = {op.operation_id for op in explicit}
    merged = list(explicit)
    for item in sorted(found, key=lambda f: f.sdk_path.startswith("beta.")):
        key = route_key(item.method, item.path)
        if key in taken:
            at = taken[key]
            if at < len(explicit) and "sdk-method" not in merged[at].extra:  # the explicit entry wins; it names its SDK method
                merged[at] = replace(merged[at], extra={**merged[at].extra, "sdk-method": f"client.{item.sdk_path}"})
            if item.sdk_path.startswith("beta.") and item.request and item.request != merged[at].request:
                merged[at] = replace(merged[at], beta_request=item.request)
            continue
        taken[key] = len(merged)
        op = to_operation(item, Operation)
        if op.operation_id in ids:  # two SDK methods with one name on different routes: the path tells them apart
            suffix = "".join(p[:1].upper() + p[1:] for p in re.split(r"[/_{}]+", key[1]) if p)
            op = _renamed(op, f"{op.operation_id}At{suffix}")
        ids.add(op.operation_id)
        merged.append(op)
    return merged


def discovered_operations(explicit: list[Any]) -> list[Any]:
    """:func:`merge` of ``explicit`` with what :func:`~mockapi.contractgen.discover.discover` finds."""
    return merge(explicit, discover())


def to_operation(item: Found, operation_cls: Any) -> Any:
    """A discovered operation in the ``ops_*`` format."""
    resources = [r for r in item.sdk_path.split(".")[:-1] if r not in ("beta", "admin")] or ["api"]
    tag = resources[0].replace("_", " ").capitalize()
    response_content = "application/json"
    if item.binary:
        response_content = "application/octet-stream"
    elif item.text:
        response_content = "text/plain"
    extra: dict[str, Any] = {"sdk-method": f"client.{item.sdk_path}"}
    if item.page:
        extra["pagination"] = item.page
    if item.security != "bearer_auth":
        extra["security-scheme"] = item.security
    return operation_cls(
        item.operation_id, item.method, item.path.split("?", 1)[0], f"client.{item.sdk_path}()", tag,
        request=item.request,
        request_content="multipart/form-data" if item.multipart else "application/json",
        response=item.response, response_list=item.page is not None, response_content=response_content,
        stream_event=item.stream_event, stream_dialect="responses" if item.stream_event else None,
        query=query_parameters(item.query), stateful=True, extra=extra,
    )


def query_parameters(dotted: str | None) -> tuple[tuple[str, dict[str, Any]], ...]:
    """(name, schema) of each field of a query-params TypedDict (its ``$defs`` inlined where used)."""
    if not dotted:
        return ()
    from .shapes import _json_schema, _load

    schema = _json_schema(_load(dotted), "validation")
    defs = schema.get("$defs", {})
    out = []
    for name, sub in (schema.get("properties") or {}).items():
        out.append((name, _inline(sub, defs)))
    return tuple(out)


def _inline(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    if isinstance(node, list):
        return [_inline(n, defs, depth) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and depth < 8:
        target = defs.get(ref.rsplit("/", 1)[-1], {})
        return _inline({**target, **{k: v for k, v in node.items() if k != "$ref"}}, defs, depth + 1)
    return {k: _inline(v, defs, depth) for k, v in node.items()}


def next_cursor(op: Any) -> bool:
    """Whether the operation's list page carries a ``next`` cursor."""
    return op.extra.get("pagination") in _NEXT_PAGES


def _renamed(op: Any, operation_id: str) -> Any:
    from dataclasses import replace

    return replace(op, operation_id=operation_id)
