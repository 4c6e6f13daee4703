"""Containers and container files: ids and shapes, bytes back unchanged, expiry on the mock clock."""

from __future__ import annotations

import io
import re

import openai
import pytest


def test_create_retrieve_list_delete(mock):
    created = mock.client.containers.create(name="analysis", expires_after={"anchor": "last_active_at", "minutes": 5})
    assert re.fullmatch(r"cntr_[0-9a-f]{48}", created.id)
    assert (created.object, created.status, created.name, created.memory_limit) == ("container", "running", "analysis", "1g")
    assert created.expires_after.minutes == 5 and created.last_active_at == created.created_at
    mock.validate("createContainer", created)
    assert mock.client.containers.retrieve(created.id).model_dump() == created.model_dump()
    other = mock.client.containers.create(name="other")
    assert other.id != created.id and other.expires_after.minutes == 20  # the documented idle default
    assert [c.id for c in mock.client.containers.list()] == [other.id, created.id]
    assert [c.id for c in mock.client.containers.list(name="analysis")] == [created.id]
    mock.validate("listContainers", mock.client.containers.list(limit=1))
    assert mock.client.containers.delete(created.id) is None  # the SDK drops the body
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.containers.retrieve(created.id)
    assert info.value.body["message"] == f"No container found with id '{created.id}'."


def test_name_is_required(mock):
    # source: the API reference's CreateContainerBody lists `name` as required
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.post("/containers", cast_to=object, body={"memory_limit": "4g"})
    assert info.value.body["param"] == "name"


def test_uploaded_bytes_round_trip(mock):
    container = mock.client.containers.create(name="files")
    data = bytes(range(256)) * 1000 + b"tail"
    made = mock.client.containers.files.create(container.id, file=("data.bin", io.BytesIO(data)))
    assert re.fullmatch(r"cfile_[0-9a-f]{32}", made.id)
    assert (made.object, made.bytes, made.container_id, made.path, made.source) == (
        "container.file", len(data), container.id, "/mnt/data/data.bin", "user")
    mock.validate("createContainerFile", made)
    assert mock.client.containers.files.retrieve(made.id, container_id=container.id).model_dump() == made.model_dump()
    assert mock.client.containers.files.content.retrieve(made.id, container_id=container.id).read() == data
    page = mock.client.containers.files.list(container.id)
    assert [f.id for f in page.data] == [made.id]
    mock.validate("listContainerFiles", page)
    assert mock.client.containers.files.delete(made.id, container_id=container.id) is None
    with pytest.raises(openai.NotFoundError):
        mock.client.containers.files.content.retrieve(made.id, container_id=container.id)


def test_file_copied_from_an_uploaded_file(mock):
    source = mock.client.files.create(file=("report.csv", io.BytesIO(b"a,b\n1,2\n")), purpose="user_data")
    container = mock.client.containers.create(name="copy", file_ids=[source.id])
    listed = mock.client.containers.files.list(container.id).data
    assert [f.path for f in listed] == ["/mnt/data/report.csv"]
    again = mock.client.containers.files.create(container.id, file_id=source.id)  # the JSON form
    assert again.bytes == 8 and again.id != listed[0].id
    assert mock.client.containers.files.content.retrieve(again.id, container_id=container.id).read() == b"a,b\n1,2\n"
    with pytest.raises(openai.NotFoundError):
        mock.client.containers.files.create(container.id, file_id="file-doesnotexist")
    with pytest.raises(openai.NotFoundError):
        mock.client.containers.create(name="bad", file_ids=["file-doesnotexist"])
    assert [c.name for c in mock.client.containers.list()] == ["copy"]  # nothing made on a bad file id


def test_deleting_a_container_deletes_its_files(mock):
    container = mock.client.containers.create(name="gone")
    made = mock.client.containers.files.create(container.id, file=("a.txt", b"abc"))
    mock.client.containers.delete(container.id)
    with pytest.raises(openai.NotFoundError):
        mock.client.containers.files.retrieve(made.id, container_id=container.id)


def test_container_expires_after_idle_minutes(mock):
    container = mock.client.containers.create(name="idle", expires_after={"anchor": "last_active_at", "minutes": 1})
    mock.engine.clock.advance(30)
    mock.client.containers.files.create(container.id, file=("a.txt", b"abc"))  # activity moves last_active_at
    mock.engine.clock.advance(45)
    assert mock.client.containers.retrieve(container.id).status == "running"
    mock.engine.clock.advance(30)
    expired = mock.client.containers.retrieve(container.id)
    assert expired.status == "expired" and expired.last_active_at == container.created_at + 30
    with pytest.raises(openai.NotFoundError):  # an expired container's data is discarded
        mock.client.containers.files.list(container.id)


def test_code_interpreter_auto_container_is_registered(mock):
    response = mock.client.responses.create(model="gpt-4.1", input="Compute the sum of 2 and 3",
                                            tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
                                            tool_choice="required")
    call = next(item for item in response.output if item.type == "code_interpreter_call")
    container = mock.client.containers.retrieve(call.container_id)
    assert (container.id, container.status) == (call.container_id, "running")
    assert re.fullmatch(r"cntr_[0-9a-f]{48}", container.id)
