"""Multipart uploads for files: each file part goes straight into a blob, never whole into memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockapi.core import multipart

from .blobs import Blobs, BlobWriter


@dataclass
class FilePart:
    """An uploaded file part, its bytes already in an uncommitted blob."""

    filename: str
    content_type: str
    blob: BlobWriter


@dataclass
class Form:
    """The parsed form: text fields and file parts (the last part of a name wins)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)

    def abort(self) -> None:
        """Throw away every file part's bytes."""
        for part in self.files.values():
            part.blob.abort()


def parse_form(request: Any, blobs: Blobs) -> Form:
    """Parse a multipart request, writing each file part into a new blob as it arrives."""
    fields, parts = multipart.parse(request, lambda name, filename, ctype: blobs.writer())
    form = Form(fields=dict(fields))
    for part in parts:
        previous = form.files.pop(part.name, None)
        if previous is not None:
            previous.blob.abort()
        form.files[part.name] = FilePart(part.filename, part.content_type, part.sink)
    return form
