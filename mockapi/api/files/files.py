"""Files: upload (streamed into a blob), list, retrieve, content, delete (detaching from vector stores)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from mockapi.core.errors import InvalidRequestError, InvalidValueError, NotFoundError
from mockapi.core.pages import paginate_stored
from mockapi.core.repo import SYNTHESIZERS, Repo, public, synthetic_time

from .blobs import blobs_for, drop_blobs
from .multipart import FilePart, parse_form

KIND = "file"
PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
BATCH_TTL = 30 * 86400


def _expiry(repo: Repo, purpose: str, anchor: str | None, seconds: str | None) -> int | None:
    if anchor is None and seconds is None:
        return repo.now() + BATCH_TTL if purpose == "batch" else None
    if anchor != "created_at":
        raise InvalidValueError(f"Invalid value: '{anchor}'. Supported values are: 'created_at'.", param="expires_after.anchor")
    if seconds is None or not seconds.isdigit() or not 3600 <= int(seconds) <= 2592000:
        raise InvalidValueError("expires_after.seconds must be an integer between 3600 and 2592000.", param="expires_after.seconds")
    return repo.now() + int(seconds)


def check_purpose(purpose: str | None) -> str:
    """The purpose, or the real API's 400."""
    if not purpose:
        raise InvalidRequestError("Missing required parameter: 'purpose'.", param="purpose", code="missing_required_parameter")
    if purpose not in PURPOSES:
        # source: "'answers' is not one of ['fine-tune'] - 'purpose'" (github.com/orhanerday/open-ai/issues/100) and
        # "'' is not one of ['fine-tune', 'answers', 'search', 'classifications'] - 'purpose'"
        # (github.com/openai/openai-python/issues/65): the real words, with the list of the day; param/code not quoted
        raise InvalidValueError(f"'{purpose}' is not one of {list(PURPOSES)} - 'purpose'", param="purpose")
    return purpose


def store_file(repo: Repo, part: FilePart, purpose: str, expires_at: int | None) -> dict[str, Any]:
    """Commit an uploaded part as a new File and return the stored object."""
    file_id = repo.new_id("file-", KIND, length=22)
    size = part.blob.commit(file_id)
    obj = {"id": file_id, "object": "file", "bytes": size, "created_at": repo.now(), "filename": part.filename or "upload",
           "purpose": purpose, "status": "processed", "expires_at": expires_at, "status_details": None}
    return repo.put(KIND, obj)


def create(repo: Repo, request: Any) -> dict[str, Any]:
    """``POST /files`` from its multipart form."""
    form = parse_form(request, blobs_for(repo.store))
    try:
        part = form.files.get("file")
        if part is None:
            raise InvalidRequestError("Missing required parameter: 'file'.", param="file", code="missing_required_parameter")
        purpose = check_purpose(form.fields.get("purpose"))
        expires_at = _expiry(repo, purpose, form.fields.get("expires_after[anchor]"), form.fields.get("expires_after[seconds]"))
        unknown = sorted(set(form.fields) - {"purpose", "expires_after[anchor]", "expires_after[seconds]"} | set(form.files) - {"file"})
        if unknown:
            # The real body of an unknown top-level argument names it only in the message (mockapi/core/schema_errors.py to_api_error).
            raise InvalidRequestError(f"Unrecognized request argument supplied: {unknown[0]}")
    except Exception:
        form.abort()
        raise
    return public(store_file(repo, part, purpose, expires_at))


def _alive(repo: Repo, obj: dict[str, Any]) -> bool:
    return obj.get("expires_at") is None or obj["expires_at"] > repo.now()


def require(repo: Repo, file_id: str) -> dict[str, Any]:
    """A live file of this tenant, or 404."""
    obj = repo.require(KIND, file_id, "file", "file-")
    if not _alive(repo, obj):
        raise NotFoundError(f"No file found with id '{file_id}'.")
    return obj


def list_page(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /files``: filtered by purpose, newest first by default (only the page is read from the store)."""
    purpose, now = query.get("purpose"), repo.now()

    def listed(obj: dict[str, Any]) -> bool:
        return (obj.get("expires_at") is None or obj["expires_at"] > now) and (not purpose or obj["purpose"] == purpose)

    return paginate_stored(repo.store, repo.tenant, KIND, query, keep=listed, view=public, default_order="desc",
                           default_limit=10000, max_limit=10000)


def content(repo: Repo, file_id: str) -> tuple[dict[str, Any], Iterator[bytes]]:
    """The file object and its bytes, chunk by chunk."""
    obj = require(repo, file_id)
    return obj, blobs_for(repo.store).chunks(file_id)


def delete(repo: Repo, file_id: str) -> dict[str, Any]:
    """``DELETE /files/{id}``: the file, its bytes and its place in every vector store."""
    require(repo, file_id)
    for listener in ON_DELETE:
        listener(repo, file_id)
    repo.delete(KIND, file_id)
    blobs_for(repo.store).delete(file_id)
    return {"id": file_id, "object": "file", "deleted": True}


def _synthesize(repo: Repo, file_id: str, scope: dict[str, str]) -> dict[str, Any]:
    return {"id": file_id, "object": "file", "bytes": 0, "created_at": synthetic_time(file_id), "filename": f"{file_id}.txt",
            "purpose": "assistants", "status": "processed", "expires_at": None, "status_details": None}


SYNTHESIZERS[KIND] = _synthesize

# Called with (repo, file_id) before a file goes: holders of file ids (vector stores) register here,
# so files need not know them.
ON_DELETE: list[Callable[[Repo, str], None]] = []


def drop_contents(store: Any, tenant: str | None) -> None:
    """Delete the bytes behind a tenant's files (every blob, with no tenant) before a reset.

    Their records go with the reset; without this the bytes would stay behind, unreachable.
    """
    drop_blobs(store, tenant, lambda: (obj["id"] for obj in store.list(tenant, KIND)))
