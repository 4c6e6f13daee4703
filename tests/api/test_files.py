"""Files and Uploads (§12.6, E21–E23): multipart uploads streamed to storage, pagination, isolation."""

from __future__ import annotations

import io

import openai
import pytest
from conftest import API_KEY

OTHER_KEY = "sk-other-tenant-0000000000"


def _upload(mock, name: str = "notes.txt", data: bytes = b"hello world", purpose: str = "assistants"):
    return mock.client.files.create(file=(name, io.BytesIO(data)), purpose=purpose)


def test_upload_retrieve_content_delete(mock):
    created = _upload(mock, data=b"alpha beta gamma")
    assert created.id.startswith("file-") and created.bytes == 16 and created.filename == "notes.txt"
    assert (created.object, created.purpose, created.status) == ("file", "assistants", "processed")
    mock.validate("createFile", created)
    assert mock.client.files.retrieve(created.id) == created
    assert mock.client.files.content(created.id).read() == b"alpha beta gamma"
    deleted = mock.client.files.delete(created.id)
    assert (deleted.id, deleted.deleted) == (created.id, True)
    mock.validate("deleteFile", deleted)
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.files.retrieve(created.id)
    assert info.value.body["message"] == f"No file found with id '{created.id}'."


def test_large_upload_round_trips_byte_for_byte(mock):
    data = bytes(range(256)) * 12_000  # ~3 MB: spills to disk in the HTTP door
    created = _upload(mock, "blob.bin", data)
    assert created.bytes == len(data)
    assert mock.client.files.content(created.id).read() == data


def test_purpose_is_validated_and_file_required(mock):
    with pytest.raises(openai.BadRequestError) as info:
        _upload(mock, purpose="nonsense")
    assert info.value.body["param"] == "purpose"
    # the real words (orhanerday/open-ai#100, openai/openai-python#65): "'<value>' is not one of [...] - 'purpose'"
    assert info.value.body["message"].startswith("'nonsense' is not one of ['") and \
        info.value.body["message"].endswith("] - 'purpose'")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.post("/files", cast_to=object, body={"purpose": "assistants"},
                         options={"headers": {"Content-Type": "multipart/form-data"}}, files=[("other", ("x.txt", b"x"))])
    assert info.value.body["param"] == "file"


def test_list_filters_by_purpose_and_paginates(mock):
    assert mock.client.files.list().data == []
    ids = [_upload(mock, f"f{i}.txt", b"x", "batch" if i % 2 else "assistants").id for i in range(5)]
    page = mock.client.files.list(limit=2, order="asc")
    assert [f.id for f in page.data] == ids[:2] and page.has_more
    mock.validate("listFiles", page)
    assert [f.id for f in page.iter_pages().__next__().data] == ids[:2]
    everything = [f.id for f in mock.client.files.list(limit=2, order="asc")]  # auto-pagination across 3 pages
    assert everything == ids
    assert [f.id for f in mock.client.files.list()] == list(reversed(ids))  # newest first by default
    assert {f.id for f in mock.client.files.list(purpose="batch")} == {ids[1], ids[3]}
    assert mock.client.files.list(purpose="batch").data[0].expires_at is not None  # batch files expire in 30 days


def test_expires_after_follows_the_mock_clock(mock):
    created = mock.client.files.create(file=("t.txt", io.BytesIO(b"x")), purpose="user_data",
                                       expires_after={"anchor": "created_at", "seconds": 3600})
    assert created.expires_at == created.created_at + 3600
    mock.engine.clock.advance(3601)
    with pytest.raises(openai.NotFoundError):
        mock.client.files.retrieve(created.id)
    with pytest.raises(openai.BadRequestError):
        mock.client.files.create(file=("t.txt", io.BytesIO(b"x")), purpose="user_data",
                                 expires_after={"anchor": "created_at", "seconds": 60})


def test_tenants_are_isolated(mock):
    mine = _upload(mock)
    other = mock.client.with_options(api_key=OTHER_KEY)
    with pytest.raises(openai.NotFoundError):
        other.files.retrieve(mine.id)
    assert other.files.list().data == []
    mock.engine.store.reset("no-such-tenant")
    assert mock.client.files.retrieve(mine.id).id == mine.id
    tenant, _ = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}"})
    mock.engine.store.reset(tenant)  # a reset of one tenant drops exactly its state
    with pytest.raises(openai.NotFoundError):
        mock.client.files.retrieve(mine.id)


def test_uploads_in_parts_complete_into_a_file(mock):
    upload = mock.client.uploads.create(bytes=11, filename="parts.txt", mime_type="text/plain", purpose="assistants")
    assert (upload.status, upload.object) == ("pending", "upload")
    mock.validate("createUpload", upload)
    second = mock.client.uploads.parts.create(upload.id, data=b" world")
    first = mock.client.uploads.parts.create(upload.id, data=b"hello")
    mock.validate("addUploadPart", first)
    with pytest.raises(openai.BadRequestError):
        mock.client.uploads.complete(upload.id, part_ids=[first.id])  # 5 bytes, not 11
    done = mock.client.uploads.complete(upload.id, part_ids=[first.id, second.id])
    assert done.status == "completed" and done.file is not None
    mock.validate("completeUpload", done)
    assert mock.client.files.content(done.file.id).read() == b"hello world"
    with pytest.raises(openai.BadRequestError):
        mock.client.uploads.cancel(upload.id)


def test_upload_cancel_and_unknown(mock):
    upload = mock.client.uploads.create(bytes=3, filename="x.txt", mime_type="text/plain", purpose="assistants")
    assert mock.client.uploads.cancel(upload.id).status == "cancelled"
    with pytest.raises(openai.BadRequestError):
        mock.client.uploads.parts.create(upload.id, data=b"abc")
    with pytest.raises(openai.NotFoundError):
        mock.client.uploads.cancel("upload_doesnotexist")


def test_upload_helper_streams_a_file_from_disk(mock, tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"line\n" * 50_000)
    done = mock.client.uploads.upload_file_chunked(file=path, mime_type="text/plain", purpose="assistants", part_size=64 * 1024)
    assert done.status == "completed"
    assert mock.client.files.content(done.file.id).read() == path.read_bytes()


def test_reset_drops_the_bytes_behind_files_too(mock):
    from conftest import API_KEY

    from mockapi.api.files.blobs import blobs_for

    blobs = blobs_for(mock.engine.store)
    tenant, _ = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}"})
    first = mock.client.files.create(file=("a.txt", b"hello bytes"), purpose="assistants")
    assert b"".join(blobs.chunks(first.id)) == b"hello bytes"
    mock.engine.reset(tenant)  # one tenant
    assert b"".join(blobs.chunks(first.id)) == b""
    second = mock.client.files.create(file=("b.txt", b"more bytes"), purpose="assistants")
    mock.engine.reset()  # everyone
    assert b"".join(blobs.chunks(second.id)) == b""
