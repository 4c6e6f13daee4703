"""Streaming ``multipart/form-data`` parsing: file parts go straight into a blob, never whole into memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from python_multipart.multipart import MultipartParser, parse_options_header

from ..errors import InvalidRequestError
from .blobs import BlobWriter, Blobs

FIELD_LIMIT = 1 << 20  # plain (non-file) fields are small
READ_SIZE = 1 << 16


@dataclass
class FilePart:
    """An uploaded file part, its bytes already in an uncommitted blob."""

    filename: str
    content_type: str
    blob: BlobWriter


@dataclass
class Form:
    """The parsed form: text fields and file parts."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)

    def abort(self) -> None:
        """Throw away every file part's bytes."""
        for part in self.files.values():
            part.blob.abort()


def _body_chunks(request: Any) -> Iterator[bytes]:
    if request.body_file is not None:
        request.body_file.seek(0)
        while chunk := request.body_file.read(READ_SIZE):
            yield chunk
        return
    view = memoryview(request.body)
    for start in range(0, len(view), READ_SIZE):
        yield bytes(view[start:start + READ_SIZE])


def parse_form(request: Any, blobs: Blobs) -> Form:
    """Parse a multipart request, writing each file part into a new blob as it arrives."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequestError("The request must be multipart/form-data with a boundary.", param=None,
                                  code="invalid_content_type")
    form = Form()
    state: dict[str, Any] = {}

    def on_part_begin() -> None:
        state.update(headers={}, header_field=b"", header_value=b"", name=None, text=bytearray(), part=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header_field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["header_value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["header_field"].decode("latin-1").lower()] = state["header_value"]
        state["header_field"], state["header_value"] = b"", b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(state["headers"].get("content-disposition", b""))
        state["name"] = disposition.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in disposition:
            ctype = state["headers"].get("content-type", b"application/octet-stream").decode("latin-1")
            state["part"] = FilePart(disposition[b"filename"].decode("utf-8", "replace"), ctype, blobs.writer())

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["part"] is not None:
            state["part"].blob.write(data[start:end])
            return
        state["text"] += data[start:end]
        if len(state["text"]) > FIELD_LIMIT:
            raise InvalidRequestError(f"The form field '{state['name']}' is too large.", param=state["name"])

    def on_part_end() -> None:
        if state["part"] is not None:
            previous = form.files.pop(state["name"], None)
            if previous is not None:
                previous.blob.abort()
            form.files[state["name"]] = state["part"]
        else:
            form.fields[state["name"]] = state["text"].decode("utf-8", "replace")

    parser = MultipartParser(boundary, callbacks={  # type: ignore[arg-type]
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    })
    try:
        for chunk in _body_chunks(request):
            parser.write(chunk)
        parser.finalize()
    except InvalidRequestError:
        form.abort()
        raise
    except Exception as exc:  # a malformed body is the caller's error, never a 500
        form.abort()
        raise InvalidRequestError(f"Could not parse the multipart form: {exc}", param=None) from None
    return form
