"""A video's downloadable assets, drawn deterministically from its id and prompt with Pillow.

The MP4 is real (Motion-JPEG frames in an MP4, see ``mp4.py``): ffprobe reports the requested
size and duration and ffmpeg decodes every frame. The thumbnail is a WebP of the first frame
and the spritesheet a JPEG grid of frames, as the real API's ``variant`` downloads are.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from mockapi.core.determinism import digest

from .mp4 import mux_mjpeg

FPS = 2  # few frames keep the file small; ffprobe still reports the full duration
JPEG_QUALITY = 60
SPRITE_COLUMNS = 4
SPRITE_WIDTH = 160

MEDIA_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}


def _palette(video: dict[str, Any]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    seed = bytes.fromhex(digest("video-palette", video.get("prompt") or "", video["id"], size=6))
    return (seed[0] // 2, seed[1] // 2, seed[2] // 2), (128 + seed[3] // 2, 128 + seed[4] // 2, 128 + seed[5] // 2)


def _dimensions(video: dict[str, Any]) -> tuple[int, int]:
    width, _, height = str(video["size"]).partition("x")
    return int(width), int(height)


def frame(video: dict[str, Any], index: int, count: int) -> Image.Image:
    """Frame ``index`` of ``count``: a still background with a disc crossing it and a progress bar."""
    width, height = _dimensions(video)
    background, accent = _palette(video)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    share = index / max(count - 1, 1)
    radius = min(width, height) // 8
    x = int(radius + share * (width - 2 * radius))
    draw.ellipse((x - radius, height // 2 - radius, x + radius, height // 2 + radius), fill=accent)
    draw.rectangle((0, height - height // 40, int(width * (index + 1) / count), height), fill=accent)
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def mp4(video: dict[str, Any]) -> bytes:
    """The video: ``seconds`` long at its ``size``, decodable by ffmpeg."""
    width, height = _dimensions(video)
    count = int(video["seconds"]) * FPS
    return mux_mjpeg([_jpeg(frame(video, i, count)) for i in range(count)], width, height, FPS)


def thumbnail(video: dict[str, Any]) -> bytes:
    """A WebP still of the first frame, at the video's size."""
    out = io.BytesIO()
    frame(video, 0, int(video["seconds"]) * FPS).save(out, "WEBP", quality=JPEG_QUALITY)
    return out.getvalue()


def spritesheet(video: dict[str, Any]) -> bytes:
    """A JPEG grid of one small frame per second of video."""
    width, height = _dimensions(video)
    seconds = int(video["seconds"])
    tile = (SPRITE_WIDTH, max(1, SPRITE_WIDTH * height // width))
    rows = -(-seconds // SPRITE_COLUMNS)
    sheet = Image.new("RGB", (tile[0] * min(seconds, SPRITE_COLUMNS), tile[1] * rows))
    for second in range(seconds):
        small = frame(video, second * FPS, seconds * FPS).resize(tile)
        sheet.paste(small, ((second % SPRITE_COLUMNS) * tile[0], (second // SPRITE_COLUMNS) * tile[1]))
    return _jpeg(sheet)


def asset(video: dict[str, Any], variant: str) -> bytes:
    """The bytes of one downloadable ``variant``."""
    return {"video": mp4, "thumbnail": thumbnail, "spritesheet": spritesheet}[variant](video)
