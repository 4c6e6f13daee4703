"""Paging from the store (``Store.scan``) answers exactly as paging the whole list did, on both stores."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_fixtures import redis_url, store  # noqa: F401 - fixtures

from mockapi.core import pages, pagination
from mockapi.core.errors import MockAPIError

TENANT, KIND = "t", "thing"
IDS = [f"obj_{i:03d}" for i in range(40)]

# A history of puts (new or replacing) and deletes, then queries with every kind of cursor: listed,
# deleted, never stored, filtered out, and both cursors at once in either order.
operations = st.lists(st.tuples(st.sampled_from(["put", "put", "put", "delete"]), st.sampled_from(IDS), st.booleans()),
                      min_size=8, max_size=80)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[tuple[str, str, bool]], dict[str, str]]:
    """A history, and a query whose cursors are mostly ids that history touched (so pages are not all empty)."""
    history = draw(operations)
    touched = sorted({object_id for _, object_id, _ in history})
    cursor = st.one_of(st.none(), st.sampled_from(touched), st.sampled_from(touched), st.sampled_from(["", "obj_unknown"]))
    query = draw(st.fixed_dictionaries({}, optional={
        "order": st.sampled_from(["asc", "desc", "desc", "sideways"]),
        "limit": st.sampled_from(["1", "2", "3", "5", "20", "2", "3", "0", "x", "101"]),
        "after": cursor, "before": cursor}))
    return history, {k: v for k, v in query.items() if v is not None}


def _apply(target: Any, history: list[tuple[str, str, bool]]) -> None:
    target.reset()
    for action, object_id, blue in history:
        if action == "put":
            target.put(TENANT, KIND, object_id, {"id": object_id, "blue": blue})
        else:
            target.delete(TENANT, KIND, object_id)


def _answer(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except MockAPIError as error:
        return type(error).__name__, error.param, str(error)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases(), only_blue=st.booleans())
def test_pages_from_the_store_match_pages_of_the_whole_list(store, case, only_blue):  # noqa: F811
    history, query = case
    _apply(store, history)
    keep = (lambda o: o["blue"]) if only_blue else None
    items = [o for o in store.list(TENANT, KIND) if keep is None or keep(o)]
    view = lambda o: {**o, "seen": True}  # noqa: E731
    expected = _answer(pages.paginate, [view(o) for o in items], query)
    assert _answer(pages.paginate_stored, store, TENANT, KIND, query, keep=keep, view=view) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_conversation_style_pages_from_the_store_match_and_refuse_the_same_cursors(store, case):  # noqa: F811
    history, query = case
    _apply(store, history)
    expected = _answer(pagination.paginate, store.list(TENANT, KIND), query, cursor_kind="item")
    assert _answer(pagination.paginate_stored, store, TENANT, KIND, query, cursor_kind="item") == expected


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_survives_compaction_and_counts_what_is_left(store, reverse):  # noqa: F811
    for i in range(300):
        store.put(TENANT, KIND, f"o{i:03d}", {"id": f"o{i:03d}"})
    for i in range(0, 300, 3):
        if i % 2 == 0 or i > 200:
            store.delete(TENANT, KIND, f"o{i:03d}")
    store.put(TENANT, KIND, "o000", {"id": "o000"})  # deleted then put again: it goes last
    listed = [o["id"] for o in store.list(TENANT, KIND)]
    assert [o["id"] for o in store.scan(TENANT, KIND, reverse=reverse)] == (listed[::-1] if reverse else listed)
    assert store.count(TENANT, KIND) == len(listed)
    middle = listed[len(listed) // 2]
    past = [o["id"] for o in store.scan(TENANT, KIND, reverse=reverse, after=middle)]
    assert past == (listed[: len(listed) // 2][::-1] if reverse else listed[len(listed) // 2 + 1:])
    assert list(store.scan(TENANT, KIND, after="missing")) == [] and store.count(TENANT, "other") == 0
