"""File contents, streamed in and out in chunks, never held whole in memory.

The memory store keeps contents in a private temporary directory; a store that offers
``blobs()`` (the Redis store) keeps them itself, so every worker reads the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

CHUNK = 1 << 16


class BlobWriter(Protocol):
    """An open, not yet named blob."""

    size: int

    def write(self, data: bytes) -> None:
        """Append bytes."""

    def commit(self, blob_id: str) -> int:
        """Name the blob and return its size."""

    def abort(self) -> None:
        """Throw the bytes away."""


class Blobs(Protocol):
    """Where contents live."""

    def writer(self) -> BlobWriter:
        """A new blob to write into."""

    def chunks(self, blob_id: str) -> Iterator[bytes]:
        """The blob's bytes, chunk by chunk (empty when missing)."""

    def delete(self, blob_id: str) -> None:
        """Drop a blob (no error when missing)."""


class _DiskWriter:
    def __init__(self, root: Path) -> None:
        self._file = tempfile.NamedTemporaryFile(dir=root, prefix=".part-", delete=False)
        self._root = root
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self.size += len(data)

    def commit(self, blob_id: str) -> int:
        self._file.close()
        os.replace(self._file.name, self._root / blob_id)
        return self.size

    def abort(self) -> None:
        self._file.close()
        with contextlib.suppress(OSError):
            os.unlink(self._file.name)


class DiskBlobs:
    """Contents as files in one directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def writer(self) -> BlobWriter:
        """A new blob to write into."""
        return _DiskWriter(self.root)

    def chunks(self, blob_id: str) -> Iterator[bytes]:
        """The blob's bytes, chunk by chunk."""
        try:
            handle = open(self.root / blob_id, "rb")
        except OSError:
            return
        with handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def delete(self, blob_id: str) -> None:
        """Drop a blob."""
        with contextlib.suppress(OSError):
            os.unlink(self.root / blob_id)

    def clear(self) -> None:
        """Drop every blob (a full reset)."""
        for path in self.root.iterdir():
            with contextlib.suppress(OSError):
                path.unlink()


_BY_STORE: "weakref.WeakKeyDictionary[Any, Blobs]" = weakref.WeakKeyDictionary()


def blobs_for(store: Any) -> Blobs:
    """The content storage that goes with ``store``."""
    if hasattr(store, "blobs"):
        return store.blobs()
    found = _BY_STORE.get(store)
    if found is None:
        root = Path(tempfile.mkdtemp(prefix="mockapi-files-"))
        weakref.finalize(store, shutil.rmtree, root, True)
        found = _BY_STORE[store] = DiskBlobs(root)
    return found


def drop_blobs(store: Any, tenant: str | None, blob_ids: Callable[[], Iterable[str]]) -> None:
    """Before a reset: delete one tenant's blobs (``blob_ids``), or every blob when ``tenant`` is None."""
    blobs = blobs_for(store)
    if tenant is None:
        clear = getattr(blobs, "clear", None)
        if clear is not None:  # a Redis store's reset already drops its blobs with everything else
            clear()
        return
    for blob_id in blob_ids():
        blobs.delete(blob_id)


def read_prefix(blobs: Blobs, blob_id: str, limit: int) -> bytes:
    """At most ``limit`` leading bytes of a blob (for indexing text)."""
    out = bytearray()
    for chunk in blobs.chunks(blob_id):
        out += chunk[: limit - len(out)]
        if len(out) >= limit:
            break
    return bytes(out)
