"""A multipart form read in bounded chunks: uploads are hashed and measured, never held whole.

Audio and image endpoints only need an upload's size, digest and first bytes (its header), so
each file part keeps just ``HEAD_BYTES`` however large it is, and reading stops at the limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from . import multipart
from .errors import MockAPIError

HEAD_BYTES = 1 << 16


@dataclass
class Upload:
    """One uploaded file: its name, declared type, size, SHA-256 and first bytes."""

    filename: str
    content_type: str
    size: int = 0
    sha256: str = ""
    head: bytes = b""


class _Measure:
    """A file sink that keeps an upload's first bytes, size and digest, and enforces the size limit."""

    def __init__(self, upload: Upload, limit: int, too_large: Callable[[Upload], MockAPIError]) -> None:
        self.upload, self.limit, self.too_large = upload, limit, too_large
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        upload = self.upload
        if len(upload.head) < HEAD_BYTES:
            upload.head += data[: HEAD_BYTES - len(upload.head)]
        upload.size += len(data)
        if upload.size > self.limit:
            raise self.too_large(upload)
        self.hash.update(data)

    def abort(self) -> None:
        pass


@dataclass
class Form:
    """Text fields (``name[]`` fields as lists) and file parts by field name (lists too)."""

    fields: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[Upload]] = field(default_factory=dict)

    def file(self, name: str) -> Upload | None:
        """The first upload under ``name`` (or ``name[]``)."""
        found = self.files.get(name) or self.files.get(name + "[]")
        return found[0] if found else None


def parse_form(request: Any, file_limit: int, too_large: Callable[[Upload], MockAPIError]) -> Form:
    """Parse a multipart body; an upload past ``file_limit`` bytes stops the read with ``too_large(upload)``."""

    def open_file(name: str, filename: str, content_type: str) -> _Measure:
        return _Measure(Upload(filename, content_type.lower()), file_limit, too_large)

    fields, parts = multipart.parse(request, open_file)
    form = Form()
    for name, text in fields:
        if name.endswith("[]"):
            form.fields.setdefault(name[:-2], []).append(text)
        else:
            form.fields[name] = text
    for part in parts:
        part.sink.upload.sha256 = part.sink.hash.hexdigest()
        form.files.setdefault(part.name, []).append(part.sink.upload)
    return form


def typed_fields(fields: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Form values converted to the JSON types the operation's schema names (numbers, booleans)."""
    props = schema.get("properties", {})
    return {name: _convert(value, props.get(name, {})) for name, value in fields.items()}


def _types(schema: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    kind = schema.get("type")
    found.update(kind if isinstance(kind, list) else [kind] if kind else [])
    for branch in schema.get("anyOf", []):
        found |= _types(branch)
    return found


def _convert(value: Any, schema: dict[str, Any]) -> Any:
    if isinstance(value, list):
        items = next((b.get("items", {}) for b in [schema, *schema.get("anyOf", [])] if "items" in b), {})
        return [_convert(v, items) for v in value]
    kinds = _types(schema)
    if "string" in kinds or not isinstance(value, str):
        return value
    try:
        if "integer" in kinds and value.strip().lstrip("-").isdigit():
            return int(value)
        if "number" in kinds:
            return float(value)
    except ValueError:
        return value
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value

