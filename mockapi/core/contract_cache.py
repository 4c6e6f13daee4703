"""The contract document read fast: a split cache whose component schemas are parsed on first use.

``contracts/openapi.json`` is about 5 MB; parsing it whole costs more than everything else an engine
does at start-up, while a test or a server uses a handful of its ~200 schemas. The first process to
read a given contract file writes a cache (``$MOCKAPI_CACHE_DIR``, else ``$XDG_CACHE_HOME/mockapi``,
else ``~/.cache/mockapi``): the document without its schemas, a table of where each schema's compact
JSON starts and ends, then those bytes. Later processes parse the small part and each schema when it
is first looked up. The cache is keyed by the file's path, size and modification time, written
atomically (parallel test workers may race), and skipped when it cannot be written.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

from .determinism import digest
from .jsonutil import dumps, loads

FORMAT = "contract-cache-2"  # 2: component references read back as local ones
_HEADER = struct.Struct("<Q")  # the length of the JSON header that follows


class LazySchemas(Mapping[str, Any]):
    """``components.schemas`` whose values are parsed from the cache's bytes on first lookup."""

    def __init__(self, blob: bytes, offsets: dict[str, list[int]]) -> None:
        self._blob = blob
        self._offsets = offsets
        self._parsed: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        found = self._parsed.get(name)
        if found is None:
            start, end = self._offsets[name]  # KeyError for an unknown schema, as a dict would
            found = self._parsed[name] = loads(self._blob[start:end])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)


def cache_dir() -> Path:
    """Where contract caches live."""
    configured = os.environ.get("MOCKAPI_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockapi"


def read_document(source: Path) -> dict[str, Any]:
    """The contract document at ``source``: from its cache when fresh, else parsed whole (and cached)."""
    stat = source.stat()
    where = digest(str(source.resolve()), size=6)  # one live cache per contract file: older versions are pruned
    cached = cache_dir() / f"contract-{where}-{digest(FORMAT, where, stat.st_size, stat.st_mtime_ns, size=8)}.bin"
    try:
        return _from_cache(cached.read_bytes())
    except (OSError, ValueError, KeyError, struct.error):
        pass  # no cache yet (or a broken one): parse the source and write it
    document = loads(local_refs(source.read_bytes()))
    try:
        _write(cached, document)
        for stale in cached.parent.glob(f"contract-{where}-*.bin"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: every process parses the whole file, as before the cache existed
    return document


_ROOTED_DEF = re.compile(rb'"#/components/schemas/[^/"]+/\$defs/')


def local_refs(document: bytes) -> bytes:
    """The contract's bytes with each component's references to its own ``$defs`` written locally.

    The file says ``#/components/schemas/NAME/$defs/X`` (from the document's top, as OpenAPI tools
    resolve them); at run time each component is validated alone, so it reads ``#/$defs/X``. Components
    only ever point into their own ``$defs``, so one substitution over the bytes is exact.
    """
    return _ROOTED_DEF.sub(b'"#/$defs/', document)


def _from_cache(data: bytes) -> dict[str, Any]:
    (size,) = _HEADER.unpack_from(data)
    header = loads(data[_HEADER.size:_HEADER.size + size])  # bytes, not a memoryview: json.loads (no orjson) needs them
    if header.get("format") != FORMAT:
        raise ValueError("another cache format")
    document = header["document"]
    blob = data[_HEADER.size + size:]
    document.setdefault("components", {})["schemas"] = LazySchemas(blob, header["offsets"])
    return document


def _write(path: Path, document: dict[str, Any]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    chunks: list[bytes] = []
    offsets: dict[str, list[int]] = {}
    position = 0
    for name, schema in schemas.items():
        encoded = dumps(schema)
        offsets[name] = [position, position + len(encoded)]
        chunks.append(encoded)
        position += len(encoded)
    skeleton = {**document, "components": {k: v for k, v in document.get("components", {}).items() if k != "schemas"}}
    header = dumps({"format": FORMAT, "document": skeleton, "offsets": offsets})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".contract-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_HEADER.pack(len(header)))
            out.write(header)
            out.writelines(chunks)
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old state or the whole new file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise

