"""Cursor pagination as every OpenAI list endpoint does it: limit, after, before, order."""

from __future__ import annotations

from itertools import islice
from typing import Any, Callable, Mapping, Sequence

from .errors import InvalidRequestError, NotFoundError


def _order_and_limit(query: Mapping[str, str], default_order: str, default_limit: int, max_limit: int) -> tuple[str, int]:
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
    return order, limit


def _answer(page: list[dict[str, Any]], has_more: bool, key: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": page,
        "first_id": key(page[0]) if page else None,
        "last_id": key(page[-1]) if page else None,
        "has_more": has_more,
    }


def paginate(items: Sequence[dict[str, Any]], query: Mapping[str, str], *, default_order: str = "desc",
             default_limit: int = 20, max_limit: int = 100, key: Callable[[dict[str, Any]], str] = lambda o: o["id"],
             cursor_kind: str = "object") -> dict[str, Any]:
    """One page of ``items`` (oldest first) as ``{object: list, data, first_id, last_id, has_more}``."""
    order, limit = _order_and_limit(query, default_order, default_limit, max_limit)
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
    return _answer(page, len(window) > limit or (bool(query.get("before")) and start > 0), key)


def paginate_stored(store: Any, tenant: str, kind: str, query: Mapping[str, str], *, default_order: str = "desc",
                    default_limit: int = 20, max_limit: int = 100, cursor_kind: str = "object") -> dict[str, Any]:
    """``paginate(store.list(tenant, kind), query)``, reading only the page through the store's ``scan``.

    The same answers and errors (an unknown cursor is a 404), at a cost that does not grow with the kind's size.
    """
    order, limit = _order_and_limit(query, default_order, default_limit, max_limit)
    newest_first = order == "desc"
    after, before = query.get("after") or None, query.get("before") or None
    for param, cursor in (("after", after), ("before", before)):
        if cursor and store.get(tenant, kind, cursor) is None:
            raise NotFoundError(f"No {cursor_kind} found with id '{cursor}'.", param=param)
    if after and before:  # a page between two cursors: has_more is always set, as paginate's start is past 0
        page = list(islice(store.scan(tenant, kind, reverse=newest_first, after=after, before=before), limit))
        return _answer(page, True, lambda o: o["id"])
    if before:  # the page just before the cursor: read backwards from it, nearest first
        nearest = list(islice(store.scan(tenant, kind, reverse=not newest_first, after=before), limit + 1))
        return _answer(nearest[:limit][::-1], len(nearest) > limit, lambda o: o["id"])
    window = list(islice(store.scan(tenant, kind, reverse=newest_first, after=after), limit + 1))
    return _answer(window[:limit], len(window) > limit, lambda o: o["id"])
