"""Cursor pagination as every OpenAI list endpoint does it: limit, after, before, order."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from .errors import InvalidRequestError, NotFoundError


def paginate(items: Sequence[dict[str, Any]], query: Mapping[str, str], *, default_order: str = "desc",
             default_limit: int = 20, max_limit: int = 100, key: Callable[[dict[str, Any]], str] = lambda o: o["id"],
             cursor_kind: str = "object") -> dict[str, Any]:
    """One page of ``items`` (oldest first) as ``{object: list, data, first_id, last_id, has_more}``."""
    order = query.get("order") or default_order
    if order not in ("asc", "desc"):
        raise InvalidRequestError(f"Invalid value for 'order': expected 'asc' or 'desc', got {order!r}.", param="order", code="invalid_value")
    try:
        limit = int(query.get("limit") or default_limit)
    except ValueError:
        raise InvalidRequestError("Invalid 'limit': expected an integer.", param="limit", code="invalid_type") from None
    if not 1 <= limit <= max_limit:
        raise InvalidRequestError(f"Invalid 'limit': expected a value between 1 and {max_limit}, but got {limit} instead.",
                                  param="limit", code="invalid_value")
    ordered = list(items) if order == "asc" else list(reversed(items))
    ids = [key(o) for o in ordered]
    start, end = 0, len(ordered)
    if query.get("after"):
        if query["after"] not in ids:
            raise NotFoundError(f"No {cursor_kind} found with id '{query['after']}'.", param="after")
        start = ids.index(query["after"]) + 1
    if query.get("before"):
        if query["before"] not in ids:
            raise NotFoundError(f"No {cursor_kind} found with id '{query['before']}'.", param="before")
        end = ids.index(query["before"])
        start = max(start, end - limit) if not query.get("after") else start
    window = ordered[start:end]
    page = window[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": key(page[0]) if page else None,
        "last_id": key(page[-1]) if page else None,
        "has_more": len(window) > limit or (bool(query.get("before")) and start > 0),
    }
