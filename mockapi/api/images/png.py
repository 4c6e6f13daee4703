"""A minimal PNG writer (zlib only) and header reader, plus the mock's deterministic artwork.

The artwork is a vertical gradient between two colours with a disc and a horizon band, all
chosen from a digest, so a prompt always gives the same picture and different prompts differ.
Rows repeat a few precomputed byte runs, so even large sizes encode quickly.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from typing import Iterable

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {0: "L", 2: "RGB", 3: "P", 4: "LA", 6: "RGBA"}


@dataclass(frozen=True)
class PNGInfo:
    """What a PNG's header says: its size and colour mode."""

    width: int
    height: int
    mode: str

    @property
    def has_alpha(self) -> bool:
        """Whether the image carries an alpha channel."""
        return self.mode in ("RGBA", "LA")


def read_header(head: bytes) -> PNGInfo | None:
    """The size and mode of a PNG from its first bytes, or None when it is not a PNG."""
    if len(head) < 29 or not head.startswith(SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width, height, _depth, color = struct.unpack(">IIBB", head[16:26])
    if width == 0 or height == 0:
        return None
    return PNGInfo(width, height, _COLOR_TYPES.get(color, "?"))


def encode(width: int, height: int, rows: Iterable[bytes], *, alpha: bool = False) -> bytes:
    """A PNG of 8-bit RGB (or RGBA) ``rows``, each ``width`` pixels wide."""
    compressor = zlib.compressobj(6)
    parts = []
    for row in rows:
        parts.append(compressor.compress(b"\x00" + row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def artwork(seed: str, width: int, height: int, *, alpha: bool = False) -> bytes:
    """The deterministic picture for ``seed`` at ``width`` x ``height``."""
    d = hashlib.blake2b(seed.encode(), digest_size=16).digest()
    top, bottom, disc = d[0:3], d[3:6], d[6:9]
    cx = width * (25 + d[9] % 50) // 100
    cy = height * (20 + d[10] % 40) // 100
    radius = max(1, min(width, height) * (10 + d[11] % 20) // 100)
    horizon = height * (60 + d[12] % 25) // 100
    band = bytes(d[13:16])
    opaque = b"\xff" if alpha else b""

    def rows() -> Iterable[bytes]:
        for y in range(height):
            if y >= horizon:
                shade = (y - horizon) * 96 // max(1, height - horizon)
                yield (bytes(max(0, c - shade) for c in band) + opaque) * width
                continue
            t = y / max(1, horizon - 1)
            sky = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom)) + opaque
            dy = y - cy
            if abs(dy) >= radius:
                yield sky * width
                continue
            half = int((radius * radius - dy * dy) ** 0.5)
            x0, x1 = max(0, cx - half), min(width, cx + half)
            yield sky * x0 + (bytes(disc) + opaque) * (x1 - x0) + sky * (width - x1)

    return encode(width, height, rows(), alpha=alpha)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
