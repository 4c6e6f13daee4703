"""The GPT image models' output formats: the artwork as PNG, JPEG or WebP, at the asked compression.

PNG is written by hand (:mod:`mockapi.api.images.png`); JPEG and WebP need real codecs, so they come
from Pillow, imported only when one of them is asked for.
"""

from __future__ import annotations

import io

from . import png

FORMATS = ("png", "jpeg", "webp")
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def picture(seed: str, width: int, height: int, fmt: str = "png", compression: int | None = None) -> bytes:
    """The artwork for ``seed`` at ``width`` x ``height`` in ``fmt``; ``compression`` 0-100 (100 is best quality)."""
    drawn = png.artwork(seed, width, height)
    return drawn if fmt == "png" else convert(drawn, fmt, compression)


def convert(png_bytes: bytes, fmt: str, compression: int | None = None) -> bytes:
    """``png_bytes`` re-encoded as ``fmt`` (``jpeg`` or ``webp``); compression is the encoder's quality."""
    from PIL import Image  # lazy: only the jpeg and webp outputs need it

    quality = 100 if compression is None else max(0, min(100, int(compression)))
    with Image.open(io.BytesIO(png_bytes)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG" if fmt == "jpeg" else "WEBP", quality=quality)
    return out.getvalue()
