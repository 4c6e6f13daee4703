"""Cursor pagination as the OpenAI list endpoints do it: limit, after, before, order."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .errors import InvalidValueError


def paginate(items: Sequence[dict[str, Any]], query: Mapping[str, str], *, default_order: str = "desc",
             default_limit: int = 20, max_limit: int = 100) -> dict[str, Any]:
    """One page of ``items`` (oldest first) as ``{object: list, data, first_id, last_id, has_more}``."""
    order = query.get("order") or default_order
    if order not in ("asc", "desc"):
        raise InvalidValueError(f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.", param="order")
    raw = query.get("limit") or str(default_limit)
    if not raw.lstrip("-").isdigit() or not 1 <= int(raw) <= max_limit:
        raise InvalidValueError(f"Invalid 'limit': expected an integer between 1 and {max_limit}, but got {raw!r} instead.",
                                param="limit")
    limit = int(raw)
    ordered = list(items) if order == "asc" else list(reversed(items))
    position = {o["id"]: i for i, o in enumerate(ordered)}
    start, end = 0, len(ordered)
    after, before = query.get("after"), query.get("before")
    if after:
        start = position[after] + 1 if after in position else len(ordered)
    if before:
        end = position.get(before, 0)
    window = ordered[start:end]
    if before and not after:
        page, has_more = window[-limit:], len(window) > limit  # the page just before the cursor
    else:
        page, has_more = window[:limit], len(window) > limit
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": has_more,
    }
