"""Uploads: a large file sent in parts, then completed into one File (parts streamed blob to blob)."""

from __future__ import annotations

from typing import Any

from mockapi.core.errors import InvalidRequestError
from mockapi.core.repo import SYNTHESIZERS, Repo, public, synthetic_time

from . import files
from .blobs import blobs_for, drop_blobs
from .multipart import FilePart, parse_form

KIND = "upload"
UPLOAD_TTL = 3600
MAX_BYTES = 8 << 30


def _parts_kind(upload_id: str) -> str:
    return f"upload.part:{upload_id}"


def create(repo: Repo, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /uploads``."""
    files.check_purpose(body.get("purpose"))
    if not 0 <= body["bytes"] <= MAX_BYTES:
        raise InvalidRequestError(f"bytes must be between 0 and {MAX_BYTES}.", param="bytes", code="invalid_value")
    now = repo.now()
    obj = {"id": repo.new_id("upload_", KIND), "object": "upload", "bytes": body["bytes"], "created_at": now,
           "expires_at": now + UPLOAD_TTL, "filename": body["filename"], "purpose": body["purpose"], "status": "pending",
           "file": None, "_mime_type": body["mime_type"]}
    return public(repo.put(KIND, obj))


def require(repo: Repo, upload_id: str) -> dict[str, Any]:
    """The upload, with ``expired`` applied by the clock, or 404."""
    obj = repo.require(KIND, upload_id, "upload", "upload_")
    if obj["status"] == "pending" and repo.now() >= obj["expires_at"]:
        obj["status"] = "expired"
    return obj


def _pending(obj: dict[str, Any], action: str) -> None:
    if obj["status"] != "pending":
        raise InvalidRequestError(f"Cannot {action} upload {obj['id']}: its status is '{obj['status']}'.", param=None,
                                  code="invalid_state")


def add_part(repo: Repo, upload_id: str, request: Any) -> dict[str, Any]:
    """``POST /uploads/{id}/parts``: one multipart ``data`` part, stored as its own blob."""
    upload = require(repo, upload_id)
    form = parse_form(request, blobs_for(repo.store))
    part: FilePart | None = form.files.pop("data", None)
    form.abort()
    if part is None:
        raise InvalidRequestError("Missing required parameter: 'data'.", param="data", code="missing_required_parameter")
    try:
        _pending(upload, "add a part to")
    except InvalidRequestError:
        part.blob.abort()
        raise
    part_id = repo.new_id("part_", _parts_kind(upload_id))
    size = part.blob.commit(part_id)
    obj = {"id": part_id, "object": "upload.part", "created_at": repo.now(), "upload_id": upload_id, "_bytes": size}
    return public(repo.put(_parts_kind(upload_id), obj))


def complete(repo: Repo, upload_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /uploads/{id}/complete``: the parts, in the order given, become one File."""
    upload = require(repo, upload_id)
    _pending(upload, "complete")
    parts = {p["id"]: p for p in repo.list(_parts_kind(upload_id))}
    order = list(body["part_ids"])
    for part_id in order:
        if part_id not in parts:
            raise InvalidRequestError(f"Part '{part_id}' does not belong to upload {upload_id}.", param="part_ids",
                                      code="invalid_value")
    total = sum(parts[p]["_bytes"] for p in order)
    if total != upload["bytes"]:
        raise InvalidRequestError(f"The upload expected {upload['bytes']} bytes but its parts hold {total}.", param="part_ids",
                                  code="invalid_value")
    blobs = blobs_for(repo.store)
    writer = blobs.writer()
    for part_id in order:
        for chunk in blobs.chunks(part_id):
            writer.write(chunk)
    file_obj = files.store_file(repo, FilePart(upload["filename"], upload["_mime_type"], writer), upload["purpose"], None)
    for part_id in parts:
        blobs.delete(part_id)
        repo.delete(_parts_kind(upload_id), part_id)
    upload.update(status="completed", file=public(file_obj))
    return public(repo.put(KIND, upload))


def cancel(repo: Repo, upload_id: str) -> dict[str, Any]:
    """``POST /uploads/{id}/cancel``."""
    upload = require(repo, upload_id)
    _pending(upload, "cancel")
    blobs = blobs_for(repo.store)
    for part in repo.list(_parts_kind(upload_id)):
        blobs.delete(part["id"])
        repo.delete(_parts_kind(upload_id), part["id"])
    upload["status"] = "cancelled"
    return public(repo.put(KIND, upload))


def _synthesize(repo: Repo, upload_id: str, scope: dict[str, str]) -> dict[str, Any]:
    created = synthetic_time(upload_id)
    return {"id": upload_id, "object": "upload", "bytes": 0, "created_at": created, "expires_at": created + UPLOAD_TTL,
            "filename": "upload.bin", "purpose": "assistants", "status": "completed", "file": None, "_mime_type": "text/plain"}


SYNTHESIZERS[KIND] = _synthesize


def drop_part_contents(store: Any, tenant: str | None) -> None:
    """Delete the bytes behind a tenant's pending upload parts before a reset (every blob, with no tenant)."""
    drop_blobs(store, tenant, lambda: (part["id"] for upload in store.list(tenant, KIND)
                                       for part in store.list(tenant, _parts_kind(upload["id"]))))
