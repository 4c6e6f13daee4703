"""A skill upload read into one bundle: every file by path under one top-level directory, SKILL.md at its root.

The name and description come from SKILL.md's YAML front matter, as the real service reads them.
source: https://platform.openai.com/docs/guides/tools-skills ("a SKILL.md with name and description
front matter"); the API reference: files are a directory upload (at most 500 files) or one zip.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

import yaml

from mockapi.core import multipart
from mockapi.core.errors import InvalidRequestError, PayloadTooLargeError, wrong_length

MAX_FILES = 500
MAX_BYTES = 50 * 1024 * 1024  # the whole upload
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same files give the same zip bytes


class _Sink:
    def __init__(self, total: list[int]) -> None:
        self.buffer, self.total = io.BytesIO(), total

    def write(self, data: bytes) -> None:
        self.total[0] += len(data)
        if self.total[0] > MAX_BYTES:
            raise PayloadTooLargeError(f"Skill upload is too large: the files must total at most {MAX_BYTES} bytes.")
        self.buffer.write(data)

    def abort(self) -> None:
        self.buffer = io.BytesIO()


@dataclass
class Bundle:
    """The skill's files (paths relative to its directory), its name and description, and the zip of them."""

    files: dict[str, bytes]
    name: str
    description: str

    def zip_bytes(self) -> bytes:
        """The bundle as a zip (deterministic: sorted paths, fixed timestamps)."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.files):
                archive.writestr(zipfile.ZipInfo(f"{self.name}/{path}", _ZIP_TIME), self.files[path])
        return out.getvalue()


def read_form(request: Any) -> tuple[dict[str, str], dict[str, bytes]]:
    """The text fields and the uploaded files (by filename) of a multipart skill upload."""
    total = [0]
    fields, parts = multipart.parse(request, lambda name, filename, ctype: _Sink(total))
    unknown = sorted({name for name, _ in fields if name != "default"} | {p.name for p in parts if p.name not in ("files", "files[]")})
    if unknown:
        raise InvalidRequestError(f"Unrecognized request argument supplied: {unknown[0]}", param=None, code=None)
    if len(parts) > MAX_FILES:
        raise wrong_length("files", parts, MAX_FILES, too_long=True)
    return dict(fields), {p.filename or f"file{n}": p.sink.buffer.getvalue() for n, p in enumerate(parts)}


def _unzip(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    except zipfile.BadZipFile:
        raise InvalidRequestError("Invalid 'files': the uploaded file is not a valid zip archive.", param="files") from None


def _front_matter(text: str) -> dict[str, Any]:
    if not text.startswith("---"):
        return {}
    head, _, _ = text[3:].partition("\n---")
    try:
        found = yaml.safe_load(head)
    except yaml.YAMLError:
        return {}
    return found if isinstance(found, dict) else {}


def build(uploads: dict[str, bytes]) -> Bundle:
    """The bundle of an upload: one zip, or a directory's files; SKILL.md with name and description required."""
    if not uploads:
        raise InvalidRequestError("Missing required parameter: 'files'.", param="files", code="missing_required_parameter")
    if len(uploads) == 1 and next(iter(uploads)).lower().endswith(".zip"):
        uploads = _unzip(next(iter(uploads.values())))
    paths = {posixpath.normpath(p.replace("\\", "/")).lstrip("/"): data for p, data in uploads.items()}
    tops = {p.split("/", 1)[0] for p in paths if "/" in p}
    if len(tops) == 1 and all("/" in p for p in paths):  # everything under one directory: paths are relative to it
        paths = {p.split("/", 1)[1]: data for p, data in paths.items()}
    manifest = paths.get("SKILL.md")
    if manifest is None:
        raise InvalidRequestError("Invalid 'files': a SKILL.md file is required at the root of the skill directory.",
                                  param="files")
    meta = _front_matter(manifest.decode("utf-8", "replace"))
    name, description = meta.get("name"), meta.get("description")
    if not isinstance(name, str) or not name or not isinstance(description, str) or not description:
        raise InvalidRequestError("Invalid 'files': SKILL.md must start with YAML front matter giving 'name' and "
                                  "'description'.", param="files")
    return Bundle(paths, name, description)
