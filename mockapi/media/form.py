"""A multipart form read in bounded chunks: uploads are hashed and measured, never held whole.

Audio and image endpoints only need an upload's size, digest and first bytes (its header), so
each file part keeps just ``HEAD_BYTES`` however large it is, and reading stops at the limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from python_multipart.multipart import MultipartParser, parse_options_header

from ..errors import InvalidRequestError, MockAPIError

READ_SIZE = 1 << 16
HEAD_BYTES = 1 << 16
FIELD_LIMIT = 1 << 20


@dataclass
class Upload:
    """One uploaded file: its name, declared type, size, SHA-256 and first bytes."""

    filename: str
    content_type: str
    size: int = 0
    sha256: str = ""
    head: bytes = b""


@dataclass
class Form:
    """Text fields (``name[]`` fields as lists) and file parts by field name (lists too)."""

    fields: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[Upload]] = field(default_factory=dict)

    def file(self, name: str) -> Upload | None:
        """The first upload under ``name`` (or ``name[]``)."""
        found = self.files.get(name) or self.files.get(name + "[]")
        return found[0] if found else None


def request_chunks(request: Any) -> Iterator[bytes]:
    """The request body in chunks of at most ``READ_SIZE``, from its spooled file or its bytes."""
    if request.body_file is not None:
        request.body_file.seek(0)
        while chunk := request.body_file.read(READ_SIZE):
            yield chunk
        return
    view = memoryview(request.body)
    for start in range(0, len(view), READ_SIZE):
        yield bytes(view[start:start + READ_SIZE])


def parse_form(request: Any, file_limit: int, too_large: Callable[[Upload], MockAPIError]) -> Form:
    """Parse a multipart body; an upload past ``file_limit`` bytes stops the read with ``too_large(upload)``."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequestError("The request must be multipart/form-data with a boundary.", param=None,
                                  code="invalid_content_type")
    form = Form()
    part: dict[str, Any] = {}

    def begin() -> None:
        part.clear()
        part.update(headers={}, field=b"", value=b"", text=bytearray(), upload=None, hash=None)

    def header_field(data: bytes, start: int, end: int) -> None:
        part["field"] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        part["value"] += data[start:end]

    def header_end() -> None:
        part["headers"][part["field"].decode("latin-1").lower()] = part["value"]
        part["field"], part["value"] = b"", b""

    def headers_done() -> None:
        _, disposition = parse_options_header(part["headers"].get("content-disposition", b""))
        part["name"] = disposition.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in disposition:
            ctype = part["headers"].get("content-type", b"application/octet-stream").decode("latin-1")
            part["upload"] = Upload(disposition[b"filename"].decode("utf-8", "replace"), ctype.lower())
            part["hash"] = hashlib.sha256()

    def data(chunk: bytes, start: int, end: int) -> None:
        piece = chunk[start:end]
        upload: Upload | None = part["upload"]
        if upload is None:
            part["text"] += piece
            if len(part["text"]) > FIELD_LIMIT:
                raise InvalidRequestError(f"The form field '{part['name']}' is too large.", param=part["name"])
            return
        if len(upload.head) < HEAD_BYTES:
            upload.head += piece[: HEAD_BYTES - len(upload.head)]
        upload.size += len(piece)
        if upload.size > file_limit:
            raise too_large(upload)
        part["hash"].update(piece)

    def end() -> None:
        name = part["name"]
        if part["upload"] is not None:
            part["upload"].sha256 = part["hash"].hexdigest()
            form.files.setdefault(name, []).append(part["upload"])
            return
        text = part["text"].decode("utf-8", "replace")
        if name.endswith("[]"):
            form.fields.setdefault(name[:-2], []).append(text)
        else:
            form.fields[name] = text

    parser = MultipartParser(boundary, callbacks={  # type: ignore[arg-type]
        "on_part_begin": begin, "on_header_field": header_field, "on_header_value": header_value,
        "on_header_end": header_end, "on_headers_finished": headers_done, "on_part_data": data, "on_part_end": end,
    })
    try:
        for chunk in request_chunks(request):
            parser.write(chunk)
        parser.finalize()
    except MockAPIError:
        raise
    except Exception as exc:  # a malformed body is the caller's error, never a 500
        raise InvalidRequestError(f"Could not parse the multipart form: {exc}", param=None) from None
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

