"""Files: multipart upload, list, retrieve, content and delete."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo, public
from mockapi.core.results import Binary

from . import files

# Before a reset drops the records, the bytes behind files and upload parts go (they would stay unreachable).
ON_RESET = files.drop_contents


def create_file(call: Call) -> dict[str, Any]:
    """``POST /v1/files`` (multipart: ``file``, ``purpose``, optional ``expires_after``)."""
    return files.create(Repo(call), call.request)


def list_files(call: Call) -> dict[str, Any]:
    """``GET /v1/files``."""
    return files.list_page(Repo(call), call.query)


def retrieve_file(call: Call) -> dict[str, Any]:
    """``GET /v1/files/{file_id}``."""
    return public(files.require(Repo(call), call.path_params["file_id"]))


def delete_file(call: Call) -> dict[str, Any]:
    """``DELETE /v1/files/{file_id}``."""
    return files.delete(Repo(call), call.path_params["file_id"])


def download_file(call: Call) -> Binary:
    """``GET /v1/files/{file_id}/content``: the bytes as uploaded, streamed."""
    obj, chunks = files.content(Repo(call), call.path_params["file_id"])
    return Binary(chunks, "application/octet-stream", headers={"content-length": str(obj["bytes"])})


HANDLERS = {
    "createFile": create_file, "listFiles": list_files, "retrieveFile": retrieve_file,
    "deleteFile": delete_file, "downloadFile": download_file,
}
