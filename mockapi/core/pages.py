"""Cursor pagination as the OpenAI list endpoints do it: limit, after, before, order."""

from __future__ import annotations

from itertools import islice
from typing import Any, Callable, Iterable, Mapping, Sequence

from .errors import InvalidValueError


def _order_and_limit(query: Mapping[str, str], default_order: str, default_limit: int, max_limit: int) -> tuple[str, int]:
    order = query.get("order") or default_order
    if order not in ("asc", "desc"):
        raise InvalidValueError(f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'.", param="order")
    raw = query.get("limit") or str(default_limit)
    if not raw.lstrip("-").isdigit() or not 1 <= int(raw) <= max_limit:
        raise InvalidValueError(f"Invalid 'limit': expected an integer between 1 and {max_limit}, but got {raw!r} instead.",
                                param="limit")
    return order, int(raw)


def _answer(page: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": has_more,
    }


def paginate(items: Sequence[dict[str, Any]], query: Mapping[str, str], *, default_order: str = "desc",
             default_limit: int = 20, max_limit: int = 100) -> dict[str, Any]:
    """One page of ``items`` (oldest first) as ``{object: list, data, first_id, last_id, has_more}``."""
    order, limit = _order_and_limit(query, default_order, default_limit, max_limit)
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
    return _answer(page, has_more)


def paginate_stored(store: Any, tenant: str, kind: str, query: Mapping[str, str], *,
                    keep: Callable[[dict[str, Any]], bool] | None = None,
                    view: Callable[[dict[str, Any]], dict[str, Any]] | None = None, default_order: str = "desc",
                    default_limit: int = 20, max_limit: int = 100) -> dict[str, Any]:
    """``paginate([view(o) for o in store.list(tenant, kind) if keep(o)], query)``, reading only the page.

    The store's ``scan`` starts at the cursor, so a page costs the same with 100 objects or 100,000 (plus
    those ``keep`` skips). A cursor that is not stored, or that ``keep`` refuses, gives an empty page, as a
    cursor missing from the list does. ``view`` sees only the page's objects (the store's own: copy before
    changing them).
    """
    order, limit = _order_and_limit(query, default_order, default_limit, max_limit)
    newest_first = order == "desc"
    after, before = query.get("after") or None, query.get("before") or None

    def listed(cursor: str) -> bool:
        obj = store.get(tenant, kind, cursor)
        return obj is not None and (keep is None or keep(obj))

    def scan(reverse: bool, **bounds: str | None) -> Iterable[dict[str, Any]]:
        found = store.scan(tenant, kind, reverse=reverse, **bounds)
        return found if keep is None else (o for o in found if keep(o))

    if (after and not listed(after)) or (before and not listed(before)):
        return _answer([], False)
    if before and not after:  # the page just before the cursor: read backwards from it, nearest first
        nearest = list(islice(scan(not newest_first, after=before), limit + 1))
        page, has_more = nearest[:limit][::-1], len(nearest) > limit
    else:
        window = list(islice(scan(newest_first, after=after, before=before), limit + 1))
        page, has_more = window[:limit], len(window) > limit
    return _answer([view(o) for o in page] if view else page, has_more)
