"""Vector stores: CRUD, search, attached files and file batches."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo, public

from . import vectors


def _vs(call: Call) -> str:
    return call.path_params["vector_store_id"]


def _polled(call: Call) -> Call:
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS
    return call


def create_vector_store(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores``."""
    return vectors.create(Repo(call), call, call.body)


def list_vector_stores(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores``."""
    return vectors.list_page(Repo(call), call.query)


def get_vector_store(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}``."""
    return vectors.view(Repo(_polled(call)), _vs(call))


def modify_vector_store(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}``."""
    return vectors.modify(Repo(call), _vs(call), call.body)


def delete_vector_store(call: Call) -> dict[str, Any]:
    """``DELETE /v1/vector_stores/{id}``."""
    return vectors.delete(Repo(call), _vs(call))


def search_vector_store(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}/search``."""
    return vectors.search(Repo(call), _vs(call), call.body)


def create_file(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}/files``."""
    return vectors.attach(Repo(call), call, _vs(call), call.body)


def list_files(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}/files``."""
    return vectors.list_files(Repo(call), _vs(call), call.query)


def get_file(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}/files/{file_id}`` (a poll)."""
    return public(vectors.require_file(Repo(_polled(call)), _vs(call), call.path_params["file_id"], polled=True))


def update_file(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}/files/{file_id}``."""
    return vectors.update_file(Repo(call), _vs(call), call.path_params["file_id"], call.body.get("attributes"))


def delete_file(call: Call) -> dict[str, Any]:
    """``DELETE /v1/vector_stores/{id}/files/{file_id}``."""
    return vectors.detach(Repo(call), _vs(call), call.path_params["file_id"])


def file_content(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}/files/{file_id}/content``."""
    return vectors.file_content(Repo(call), _vs(call), call.path_params["file_id"])


def create_batch(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}/file_batches``."""
    return vectors.create_batch(Repo(call), call, _vs(call), call.body)


def get_batch(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}/file_batches/{batch_id}`` (a poll)."""
    return vectors.batch_view(Repo(_polled(call)), _vs(call), call.path_params["batch_id"], polled=True)


def cancel_batch(call: Call) -> dict[str, Any]:
    """``POST /v1/vector_stores/{id}/file_batches/{batch_id}/cancel``."""
    return vectors.cancel_batch(Repo(call), _vs(call), call.path_params["batch_id"])


def list_batch_files(call: Call) -> dict[str, Any]:
    """``GET /v1/vector_stores/{id}/file_batches/{batch_id}/files``."""
    repo = Repo(call)
    vectors.batch_view(repo, _vs(call), call.path_params["batch_id"])
    return vectors.list_files(repo, _vs(call), call.query, batch_id=call.path_params["batch_id"])


HANDLERS = {
    "createVectorStore": create_vector_store, "listVectorStores": list_vector_stores, "getVectorStore": get_vector_store,
    "modifyVectorStore": modify_vector_store, "deleteVectorStore": delete_vector_store, "searchVectorStore": search_vector_store,
    "createVectorStoreFile": create_file, "listVectorStoreFiles": list_files, "getVectorStoreFile": get_file,
    "updateVectorStoreFileAttributes": update_file, "deleteVectorStoreFile": delete_file,
    "retrieveVectorStoreFileContent": file_content, "createVectorStoreFileBatch": create_batch,
    "getVectorStoreFileBatch": get_batch, "cancelVectorStoreFileBatch": cancel_batch,
    "listFilesInVectorStoreBatch": list_batch_files,
}
