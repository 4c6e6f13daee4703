"""Contract sources for Files (multipart upload, list, retrieve, content, delete)."""

from __future__ import annotations

from openai.types.file_purpose import FilePurpose
from typing_extensions import Literal, Required, TypedDict

from . import Operation

_T = "openai.types"


class FileExpiresAfter(TypedDict, total=False):
    """``expires_after`` of an upload: seconds after ``created_at``."""

    anchor: Required[Literal["created_at"]]
    seconds: Required[int]


class FileUploadForm(TypedDict, total=False):
    """The multipart form of ``POST /files`` (the SDK's params type names the file as an IO union)."""

    file: Required[bytes]
    purpose: Required[FilePurpose]
    expires_after: FileExpiresAfter


OPERATIONS = [
    Operation("createFile", "POST", "/files", "Upload a file", "Files",
              request=f"{__name__}:FileUploadForm", request_content="multipart/form-data",
              response=f"{_T}:FileObject", stateful=True),
    Operation("listFiles", "GET", "/files", "List files", "Files", response=f"{_T}:FileObject", response_list=True,
              stateful=True, query=(("purpose", {"type": "string"}), ("limit", {"type": "integer", "minimum": 1, "maximum": 10000}),
                                    ("after", {"type": "string"}), ("order", {"enum": ["asc", "desc"]}))),
    Operation("retrieveFile", "GET", "/files/{file_id}", "Retrieve a file", "Files", response=f"{_T}:FileObject", stateful=True),
    Operation("deleteFile", "DELETE", "/files/{file_id}", "Delete a file", "Files", response=f"{_T}:FileDeleted", stateful=True),
    Operation("downloadFile", "GET", "/files/{file_id}/content", "Retrieve a file's content", "Files",
              response_content="application/octet-stream", stateful=True),
]
