"""Files inside a container: uploaded (multipart, streamed to a blob) or copied from a File; bytes kept as sent."""

from __future__ import annotations

import posixpath
from typing import Any, Iterator

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.jsonutil import loads
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, public

from ..files import files as user_files
from ..files.blobs import blobs_for
from ..files.multipart import parse_form
from . import containers

KIND = "container_file"
PREFIX = "cfile_"
MOUNT = "/mnt/data"


def _kind(cid: str) -> str:
    return f"{KIND}:{cid}"


def _blob(cid: str, fid: str) -> str:
    return f"{cid}.{fid}"


def _new(repo: Repo, cid: str, filename: str, size: int, fid: str, source: str = "user") -> dict[str, Any]:
    obj = {"id": fid, "object": "container.file", "bytes": size, "container_id": cid, "created_at": repo.now(),
           "path": posixpath.join(MOUNT, posixpath.basename(filename) or "upload"), "source": source}
    return repo.put(_kind(cid), obj)


def file_id(identity: str, n: int = 0) -> str:
    """A container file id in the real shape: ``cfile_`` and 32 hex digits."""
    return make_id(PREFIX, "container-file", identity, n, length=32, alphabet=HEX)


def check_sources(repo: Repo, source_ids: list[str]) -> None:
    """Every File a new container should copy exists (the real 404 otherwise), before anything is made."""
    for source_id in source_ids:
        user_files.require(repo, source_id)


def copy_file(repo: Repo, identity: str, cid: str, source_id: str, n: int = 0) -> dict[str, Any]:
    """Copy an uploaded File (``file-...``) into the container, byte for byte."""
    source = user_files.require(repo, source_id)
    blobs = blobs_for(repo.store)
    writer = blobs.writer()
    try:
        for chunk in blobs.chunks(source_id):
            writer.write(chunk)
    except Exception:
        writer.abort()
        raise
    fid = file_id(identity, n)
    size = writer.commit(_blob(cid, fid))
    return _new(repo, cid, source["filename"], size, fid)


def create(repo: Repo, identity: str, cid: str, request: Any) -> dict[str, Any]:
    """``POST /containers/{id}/files``: a multipart ``file`` or a JSON ``{"file_id": ...}``."""
    containers.require_running(repo, cid)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        return public(copy_file(repo, identity, cid, _json_file_id(request.body)))
    form = parse_form(request, blobs_for(repo.store))
    try:
        unknown = sorted((set(form.fields) - {"file_id"}) | (set(form.files) - {"file"}))
        if unknown:
            raise InvalidRequestError(f"Unrecognized request argument supplied: {unknown[0]}", param=None, code=None)
        part = form.files.get("file")
        if part is None:
            if form.fields.get("file_id"):
                return public(copy_file(repo, identity, cid, form.fields["file_id"]))
            raise InvalidRequestError("Missing required parameter: 'file' or 'file_id'.", param="file",
                                      code="missing_required_parameter")
    except Exception:
        form.abort()
        raise
    fid = file_id(identity)
    size = part.blob.commit(_blob(cid, fid))
    return public(_new(repo, cid, part.filename or "upload", size, fid))


def _json_file_id(raw: bytes) -> str:
    try:
        body = loads(raw) if raw.strip() else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise InvalidRequestError("We could not parse the JSON body of your request.", param=None, code=None)
    unknown = sorted(set(body) - {"file_id"})
    if unknown:
        raise InvalidRequestError(f"Unrecognized request argument supplied: {unknown[0]}", param=None, code=None)
    value = body.get("file_id")
    if not isinstance(value, str) or not value:
        raise InvalidRequestError("Missing required parameter: 'file' or 'file_id'.", param="file_id",
                                  code="missing_required_parameter")
    return value


def require(repo: Repo, cid: str, fid: str) -> dict[str, Any]:
    """A file of a running container, or the real 404."""
    containers.require_running(repo, cid)
    found = repo.get(_kind(cid), fid)
    if found is None:
        raise NotFoundError(f"No file found with id '{fid}' in container '{cid}'.")
    return found


def list_page(repo: Repo, cid: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /containers/{id}/files``: newest first."""
    containers.require_running(repo, cid)
    return paginate([public(o) for o in repo.list(_kind(cid))], query, default_order="desc")


def content(repo: Repo, cid: str, fid: str) -> tuple[dict[str, Any], Iterator[bytes]]:
    """The file object and its bytes as uploaded, chunk by chunk."""
    obj = require(repo, cid, fid)
    return obj, blobs_for(repo.store).chunks(_blob(cid, fid))


def delete(repo: Repo, cid: str, fid: str) -> dict[str, Any]:
    """``DELETE /containers/{id}/files/{file_id}``."""
    require(repo, cid, fid)
    repo.delete(_kind(cid), fid)
    blobs_for(repo.store).delete(_blob(cid, fid))
    return {"id": fid, "object": "container.file.deleted", "deleted": True}


def drop_all(repo: Repo, cid: str) -> None:
    """Remove every file of a container, bytes included (the container is going)."""
    blobs = blobs_for(repo.store)
    for obj in repo.list(_kind(cid)):
        repo.delete(_kind(cid), obj["id"])
        blobs.delete(_blob(cid, obj["id"]))


def drop_contents(store: Any, tenant: str | None) -> None:
    """Before a reset: delete the bytes behind a tenant's container files (a full reset clears every blob)."""
    if tenant is None:
        return  # the files family's ON_RESET clears every blob of the store
    blobs = blobs_for(store)
    for container in store.list(tenant, containers.KIND):
        for obj in store.list(tenant, _kind(container["id"])):
            blobs.delete(_blob(container["id"], obj["id"]))
