"""Containers and container files: create, retrieve, list, delete, and the files' bytes."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo, public
from mockapi.core.results import Binary

from . import container_files, containers

# Before a reset drops the records, the bytes behind container files go (they would stay unreachable).
ON_RESET = container_files.drop_contents


def create_container(call: Call) -> dict[str, Any]:
    """``POST /v1/containers``: a running container, with copies of the ``file_ids`` it names."""
    repo, identity = Repo(call), call.id_digest()
    sources = list(call.body.get("file_ids") or [])
    container_files.check_sources(repo, sources)
    obj = containers.create(repo, identity, call.body)
    for n, source in enumerate(sources):
        container_files.copy_file(repo, identity, obj["id"], source, n)
    return containers.view(repo, obj)


def list_containers(call: Call) -> dict[str, Any]:
    """``GET /v1/containers``."""
    return containers.list_page(Repo(call), call.query)


def retrieve_container(call: Call) -> dict[str, Any]:
    """``GET /v1/containers/{container_id}``."""
    repo = Repo(call)
    return containers.view(repo, containers.require(repo, call.path_params["container_id"]))


def delete_container(call: Call) -> dict[str, Any]:
    """``DELETE /v1/containers/{container_id}``: the container and its files."""
    repo, cid = Repo(call), call.path_params["container_id"]
    containers.require(repo, cid)
    container_files.drop_all(repo, cid)
    return containers.delete(repo, cid)


def create_container_file(call: Call) -> dict[str, Any]:
    """``POST /v1/containers/{container_id}/files`` (multipart ``file`` or JSON ``file_id``)."""
    return container_files.create(Repo(call), call.id_digest(), call.path_params["container_id"], call.request)


def list_container_files(call: Call) -> dict[str, Any]:
    """``GET /v1/containers/{container_id}/files``."""
    return container_files.list_page(Repo(call), call.path_params["container_id"], call.query)


def retrieve_container_file(call: Call) -> dict[str, Any]:
    """``GET /v1/containers/{container_id}/files/{file_id}``."""
    return public(container_files.require(Repo(call), call.path_params["container_id"], call.path_params["file_id"]))


def delete_container_file(call: Call) -> dict[str, Any]:
    """``DELETE /v1/containers/{container_id}/files/{file_id}``."""
    return container_files.delete(Repo(call), call.path_params["container_id"], call.path_params["file_id"])


def retrieve_container_file_content(call: Call) -> Binary:
    """``GET /v1/containers/{container_id}/files/{file_id}/content``: the bytes as they went in."""
    obj, chunks = container_files.content(Repo(call), call.path_params["container_id"], call.path_params["file_id"])
    return Binary(chunks, "application/octet-stream", headers={"content-length": str(obj["bytes"])})


HANDLERS = {
    "createContainer": create_container, "listContainers": list_containers, "retrieveContainer": retrieve_container,
    "deleteContainer": delete_container, "createContainerFile": create_container_file,
    "listContainerFiles": list_container_files, "retrieveContainerFile": retrieve_container_file,
    "deleteContainerFile": delete_container_file, "retrieveContainerFileContent": retrieve_container_file_content,
}
