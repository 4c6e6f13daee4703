"""Image inputs: read an image's size from a ``data:`` URI and charge tokens as reference §9.6 says."""

from __future__ import annotations

import base64
import binascii
import math
import struct

# http(s) images cannot be fetched offline; they are charged as this size.
DEFAULT_URL_SIZE = (1024, 1024)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, JPEG, GIF or WEBP header, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            w = int.from_bytes(data[24:27], "little") + 1
            h = int.from_bytes(data[27:30], "little") + 1
            return w, h
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", data[26:30])
            return w & 0x3FFF, h & 0x3FFF
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            i += 2 + length
    return None


def decode_data_uri(url: str) -> bytes | None:
    """The bytes of a base64 ``data:`` URI, or None when it is not one (or not valid)."""
    if not url.startswith("data:") or ";base64," not in url[:100]:
        return None
    try:
        return base64.b64decode(url.split(",", 1)[1], validate=False)
    except (binascii.Error, ValueError):
        return None


def image_tokens(width: int, height: int, detail: str = "auto") -> int:
    """Tokens charged for one image: 85 at low detail, else 85 plus 170 per 512-px tile."""
    if detail == "low":
        return 85
    if max(width, height) > 2048:
        scale = 2048 / max(width, height)
        width, height = width * scale, height * scale
    if min(width, height) > 768:
        scale = 768 / min(width, height)
        width, height = width * scale, height * scale
    tiles = math.ceil(width / 512) * math.ceil(height / 512)
    return 85 + 170 * tiles


def url_tokens(url: str, detail: str = "auto") -> int:
    """Tokens for an image given by URL (``data:`` sizes are read; others use the default size)."""
    data = decode_data_uri(url)
    size = image_size(data) if data else None
    return image_tokens(*(size or DEFAULT_URL_SIZE), detail=detail or "auto")
