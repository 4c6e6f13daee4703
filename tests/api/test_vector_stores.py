"""Vector stores (§12.7, E24–E27): files and batches progressing by rule, counts, expiry, search, integrity."""

from __future__ import annotations

import io

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapi.core.pages import paginate

CATS = b"Cats purr and sleep in the sun. Cats chase mice around the barn at night."
DOGS = b"Dogs bark loudly and fetch sticks in the park. A dog guards the house."
POLLS_2 = {"x-mockapi-progress": "polls:2"}


def _file(mock, name: str, data: bytes) -> str:
    return mock.client.files.create(file=(name, io.BytesIO(data)), purpose="assistants").id


def test_create_with_files_moves_to_completed_by_polls(mock):
    cats = _file(mock, "cats.txt", CATS)
    store = mock.client.vector_stores.create(name="kb", file_ids=[cats], extra_headers=POLLS_2)
    assert store.id.startswith("vs_") and store.status == "in_progress"
    assert store.file_counts.in_progress == 1 and store.file_counts.total == 1
    mock.validate("createVectorStore", store)
    first = mock.client.vector_stores.files.retrieve(cats, vector_store_id=store.id)
    assert first.status == "in_progress"
    second = mock.client.vector_stores.files.retrieve(cats, vector_store_id=store.id)
    assert second.status == "completed" and second.usage_bytes == len(CATS)
    mock.validate("getVectorStoreFile", second)
    done = mock.client.vector_stores.retrieve(store.id)
    assert done.status == "completed" and done.usage_bytes == len(CATS)
    assert (done.file_counts.completed, done.file_counts.in_progress, done.file_counts.total) == (1, 0, 1)


def test_progress_by_seconds_follows_the_clock(mock):
    cats = _file(mock, "cats.txt", CATS)
    store = mock.client.vector_stores.create(name="kb", extra_headers={"x-mockapi-progress": "seconds:5"})
    attached = mock.client.vector_stores.files.create(vector_store_id=store.id, file_id=cats,
                                                     extra_headers={"x-mockapi-progress": "seconds:5"})
    assert attached.status == "in_progress"
    for _ in range(3):
        assert mock.client.vector_stores.files.retrieve(cats, vector_store_id=store.id).status == "in_progress"
    mock.engine.clock.advance(5)
    assert mock.client.vector_stores.files.retrieve(cats, vector_store_id=store.id).status == "completed"


def test_file_batches_create_and_poll_and_cancel(mock):
    ids = [_file(mock, "cats.txt", CATS), _file(mock, "dogs.txt", DOGS), _file(mock, "empty.txt", b"")]
    store = mock.client.vector_stores.create(name="kb")
    batch = mock.client.vector_stores.file_batches.create_and_poll(vector_store_id=store.id, file_ids=ids)
    assert batch.id.startswith("vsfb_") and batch.status == "completed"
    assert (batch.file_counts.completed, batch.file_counts.failed, batch.file_counts.total) == (2, 1, 3)
    mock.validate("getVectorStoreFileBatch", batch)
    failed = mock.client.vector_stores.files.list(vector_store_id=store.id, filter="failed").data
    assert [f.id for f in failed] == [ids[2]] and failed[0].last_error.code == "invalid_file"
    listed = mock.client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
    assert sorted(f.id for f in listed.data) == sorted(ids)
    slow = mock.client.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=ids[:1],
                                                         extra_headers={"x-mockapi-progress": "polls:100"})
    cancelled = mock.client.vector_stores.file_batches.cancel(slow.id, vector_store_id=store.id)
    assert cancelled.status == "cancelled" and cancelled.file_counts.cancelled == 1
    with pytest.raises(openai.BadRequestError):
        mock.client.vector_stores.file_batches.cancel(slow.id, vector_store_id=store.id)


def test_search_is_deterministic_and_ranked(mock):
    cats, dogs = _file(mock, "cats.txt", CATS), _file(mock, "dogs.txt", DOGS)
    store = mock.client.vector_stores.create(name="kb", file_ids=[cats, dogs])
    mock.client.vector_stores.files.update(dogs, vector_store_id=store.id, attributes={"animal": "dog"})
    page = mock.client.vector_stores.search(store.id, query="which animal will fetch sticks and bark?")
    assert [r.filename for r in page.data][0] == "dogs.txt"
    assert page.data[0].score > 0 and page.data[0].content[0].text.startswith("Dogs bark")
    again = mock.client.vector_stores.search(store.id, query="which animal will fetch sticks and bark?")
    assert [(r.file_id, r.score) for r in again.data] == [(r.file_id, r.score) for r in page.data]
    filtered = mock.client.vector_stores.search(store.id, query="animals", filters={"type": "eq", "key": "animal", "value": "cat"})
    assert filtered.data == []
    assert mock.client.vector_stores.search(store.id, query="zebra quantum").data == []
    raw = mock.client.vector_stores.with_raw_response.search(store.id, query="cats purr").http_response.json()
    mock.validate("searchVectorStore", raw)
    assert raw["object"] == "vector_store.search_results.page" and raw["data"][0]["filename"] == "cats.txt"


def test_deleted_file_leaves_every_vector_store(mock):
    cats, dogs = _file(mock, "cats.txt", CATS), _file(mock, "dogs.txt", DOGS)
    first = mock.client.vector_stores.create(name="a", file_ids=[cats, dogs])
    second = mock.client.vector_stores.create(name="b", file_ids=[cats])
    mock.client.files.delete(cats)
    assert [f.id for f in mock.client.vector_stores.files.list(vector_store_id=first.id)] == [dogs]
    assert mock.client.vector_stores.files.list(vector_store_id=second.id).data == []
    assert mock.client.vector_stores.retrieve(second.id).file_counts.total == 0
    with pytest.raises(openai.NotFoundError):
        mock.client.vector_stores.files.retrieve(cats, vector_store_id=first.id)
    removed = mock.client.vector_stores.files.delete(dogs, vector_store_id=first.id)
    assert removed.deleted and mock.client.files.retrieve(dogs).id == dogs  # detaching keeps the File


def test_expires_after_is_honoured_by_the_clock(mock):
    store = mock.client.vector_stores.create(name="kb", expires_after={"anchor": "last_active_at", "days": 1})
    assert store.expires_at == store.last_active_at + 86400
    mock.engine.clock.advance(3600)
    mock.client.vector_stores.search(store.id, query="anything")  # activity moves the deadline
    assert mock.client.vector_stores.retrieve(store.id).expires_at == store.expires_at + 3600
    mock.engine.clock.advance(86400 + 3600)
    assert mock.client.vector_stores.retrieve(store.id).status == "expired"
    with pytest.raises(openai.BadRequestError):
        mock.client.vector_stores.search(store.id, query="anything")


def test_crud_and_pagination_edges(mock):
    empty = mock.client.vector_stores.list()
    assert empty.data == [] and empty.has_more is False and empty.first_id is None
    mock.validate("listVectorStores", empty)
    ids = [mock.client.vector_stores.create(name=f"s{i}").id for i in range(5)]
    one = mock.client.vector_stores.list(limit=10, order="asc")
    assert [s.id for s in one.data] == ids and one.has_more is False
    assert (one.first_id, one.last_id) == (ids[0], ids[-1])
    newest = mock.client.vector_stores.list(limit=2)
    assert [s.id for s in newest.data] == [ids[4], ids[3]] and newest.has_more
    assert [s.id for s in mock.client.vector_stores.list(limit=2, after=ids[3])] == [ids[2], ids[1], ids[0]]
    before = mock.client.vector_stores.list(limit=2, order="asc", before=ids[4])
    assert [s.id for s in before.data] == [ids[2], ids[3]]
    with pytest.raises(openai.BadRequestError):
        mock.client.vector_stores.list(limit=101)
    renamed = mock.client.vector_stores.update(ids[0], name="renamed", metadata={"team": "a"})
    assert renamed.name == "renamed" and renamed.metadata == {"team": "a"}
    gone = mock.client.vector_stores.delete(ids[0])
    assert gone.deleted and gone.object == "vector_store.deleted"
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.vector_stores.retrieve(ids[0])
    assert info.value.body["message"] == f"No vector store found with id '{ids[0]}'."


def test_unknown_file_is_404_when_attaching(mock):
    store = mock.client.vector_stores.create(name="kb")
    with pytest.raises(openai.NotFoundError):
        mock.client.vector_stores.files.create(vector_store_id=store.id, file_id="file-missing")
    with pytest.raises(openai.NotFoundError):
        mock.client.vector_stores.create(name="kb", file_ids=["file-missing"])


# -- the cursor-pagination helper every platform list uses ---------------------------------------
@given(n=st.integers(0, 40), limit=st.integers(1, 12), order=st.sampled_from(["asc", "desc"]))
def test_following_after_cursors_visits_every_item_once(n, limit, order):
    items = [{"id": f"obj_{i:03d}"} for i in range(n)]
    expected = [o["id"] for o in (items if order == "asc" else items[::-1])]
    seen, query = [], {"limit": str(limit), "order": order}
    while True:
        page = paginate(items, query)
        assert len(page["data"]) <= limit
        seen += [o["id"] for o in page["data"]]
        if not page["has_more"]:
            break
        query = {**query, "after": page["last_id"]}
    assert seen == expected


@given(n=st.integers(1, 40), limit=st.integers(1, 12), cut=st.integers(0, 39))
def test_before_cursor_gives_the_page_just_before_it(n, limit, cut):
    items = [{"id": f"obj_{i:03d}"} for i in range(n)]
    cursor = items[cut % n]["id"]
    page = paginate(items, {"limit": str(limit), "order": "asc", "before": cursor})
    ids = [o["id"] for o in items]
    assert [o["id"] for o in page["data"]] == ids[max(0, ids.index(cursor) - limit):ids.index(cursor)]
    assert page["has_more"] == (ids.index(cursor) > limit)


@pytest.mark.parametrize("days, words, code", [
    (0, "integer below minimum value. Expected a value >= 1, but got 0 instead.", "integer_below_min_value"),
    (366, "integer above maximum value. Expected a value <= 365, but got 366 instead.", "integer_above_max_value"),
])
def test_expires_after_days_out_of_range_is_the_real_range_400(mock, days, words, code):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.vector_stores.create(name="kb", expires_after={"anchor": "last_active_at", "days": days})
    body = info.value.body
    assert body["message"] == f"Invalid 'expires_after.days': {words}"
    assert (body["param"], body["code"]) == ("expires_after.days", code)
    store = mock.client.vector_stores.create(name="kb", expires_after={"anchor": "last_active_at", "days": 365})
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.vector_stores.update(store.id, expires_after={"anchor": "last_active_at", "days": days})
    assert info.value.body["code"] == code


def test_file_batch_above_2000_files_is_the_real_array_too_long(mock):
    store = mock.client.vector_stores.create(name="kb")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[f"file-{i}" for i in range(2001)])
    body = info.value.body
    assert body["message"] == ("Invalid 'file_ids': array too long. Expected an array with maximum length 2000, but got "
                               "an array with length 2001 instead.")
    assert (body["param"], body["code"]) == ("file_ids", "array_above_max_length")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.vector_stores.file_batches.create(vector_store_id=store.id,
                                                      files=[{"file_id": f"file-{i}"} for i in range(2001)])
    assert (info.value.body["param"], info.value.body["code"]) == ("files", "array_above_max_length")


def test_search_max_num_results_range_is_the_contract_rule(mock):
    store = mock.client.vector_stores.create(name="kb", file_ids=[_file(mock, "cats.txt", CATS)])
    assert len(mock.client.vector_stores.search(store.id, query="cats", max_num_results=50).data) == 1
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.vector_stores.search(store.id, query="cats", max_num_results=51)
    body = info.value.body
    assert body["message"] == "Invalid 'max_num_results': integer above maximum value. Expected a value <= 50, but got 51 instead."
    assert (body["param"], body["code"]) == ("max_num_results", "integer_above_max_value")
