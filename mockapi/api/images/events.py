"""Streamed image generation and edits: ``partial_image`` events, then one ``completed`` event per image."""

from __future__ import annotations

import base64
from typing import Any, Callable, Iterator

from mockapi.core.results import Event


def stream_events(kind: str, seeds: list[str], partials: int, draw: Callable[[str], bytes],
                  meta: dict[str, Any], usage: dict[str, Any]) -> Iterator[Event]:
    """Events of ``kind`` (``image_generation`` or ``image_edit``): ``partials`` previews, then each final image."""
    for seed in seeds:
        for index in range(partials):
            yield Event({"type": f"{kind}.partial_image", "b64_json": _b64(draw(f"{seed}:partial:{index}")),
                         "partial_image_index": index, **meta}, f"{kind}.partial_image")
        yield Event({"type": f"{kind}.completed", "b64_json": _b64(draw(seed)), "usage": usage, **meta},
                    f"{kind}.completed")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
