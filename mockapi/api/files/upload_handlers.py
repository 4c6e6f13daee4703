"""Uploads: create, add parts (multipart), complete into a File, cancel."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo

from . import uploads

# Before a reset drops the records, the bytes behind pending upload parts go.
ON_RESET = uploads.drop_part_contents


def create_upload(call: Call) -> dict[str, Any]:
    """``POST /v1/uploads``."""
    return uploads.create(Repo(call), call.body)


def add_upload_part(call: Call) -> dict[str, Any]:
    """``POST /v1/uploads/{upload_id}/parts``."""
    return uploads.add_part(Repo(call), call.path_params["upload_id"], call.request)


def complete_upload(call: Call) -> dict[str, Any]:
    """``POST /v1/uploads/{upload_id}/complete``."""
    return uploads.complete(Repo(call), call.path_params["upload_id"], call.body)


def cancel_upload(call: Call) -> dict[str, Any]:
    """``POST /v1/uploads/{upload_id}/cancel``."""
    return uploads.cancel(Repo(call), call.path_params["upload_id"])


HANDLERS = {
    "createUpload": create_upload, "addUploadPart": add_upload_part,
    "completeUpload": complete_upload, "cancelUpload": cancel_upload,
}
