"""The one streaming ``multipart/form-data`` reader: bounded chunks in, fields and file parts out.

Each file part's bytes go to a sink the caller opens (a blob on disk, a hashing counter), so an
upload is never held whole in memory. Any error aborts every sink opened so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol

from python_multipart.multipart import MultipartParser, parse_options_header

from .errors import InvalidRequestError, MockAPIError

READ_SIZE = 1 << 16
FIELD_LIMIT = 1 << 20  # plain (non-file) fields are small


class FileSink(Protocol):
    """Where one file part's bytes go as they arrive."""

    def write(self, data: bytes) -> None:
        """Take the next piece of the file (may raise a MockAPIError, e.g. too large)."""

    def abort(self) -> None:
        """Throw away what was written."""


@dataclass
class FilePart:
    """A file part: its field name, filename, declared type and the sink holding its bytes."""

    name: str
    filename: str
    content_type: str
    sink: Any


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


def parse(request: Any, open_file: Callable[[str, str, str], FileSink]) -> tuple[list[tuple[str, str]], list[FilePart]]:
    """Text fields and file parts in the order sent; ``open_file(name, filename, content_type)`` gives each sink."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequestError("The request must be multipart/form-data with a boundary.", param=None,
                                  code="invalid_content_type")
    fields: list[tuple[str, str]] = []
    files: list[FilePart] = []
    part: dict[str, Any] = {}

    def begin() -> None:
        part.clear()
        part.update(headers={}, field=b"", value=b"", name="", text=bytearray(), file=None)

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
            filename = disposition[b"filename"].decode("utf-8", "replace")
            ctype = part["headers"].get("content-type", b"application/octet-stream").decode("latin-1")
            part["file"] = FilePart(part["name"], filename, ctype, open_file(part["name"], filename, ctype))
            files.append(part["file"])

    def data(chunk: bytes, start: int, end: int) -> None:
        if part["file"] is not None:
            part["file"].sink.write(chunk[start:end])
            return
        part["text"] += chunk[start:end]
        if len(part["text"]) > FIELD_LIMIT:
            raise InvalidRequestError(f"The form field '{part['name']}' is too large.", param=part["name"])

    def end() -> None:
        if part["file"] is None:
            fields.append((part["name"], part["text"].decode("utf-8", "replace")))

    parser = MultipartParser(boundary, callbacks={  # type: ignore[arg-type]
        "on_part_begin": begin, "on_header_field": header_field, "on_header_value": header_value,
        "on_header_end": header_end, "on_headers_finished": headers_done, "on_part_data": data, "on_part_end": end,
    })
    try:
        for chunk in request_chunks(request):
            parser.write(chunk)
        parser.finalize()
    except Exception as exc:
        for file in files:
            file.sink.abort()
        if isinstance(exc, MockAPIError):
            raise
        # a malformed body is the caller's error, never a 500
        raise InvalidRequestError(f"Could not parse the multipart form: {exc}", param=None) from None
    return fields, files
