"""Generated images served by the mock itself, so ``url`` responses resolve offline.

A URL names everything needed to redraw its picture (size and seed), so the route keeps no
state and answers the same bytes after a restart. Like the real API's links, a URL expires
60 minutes after it was made (the ``se`` query, checked against the engine's clock).
"""

from __future__ import annotations

import re
from typing import Callable, Mapping
from urllib.parse import parse_qs

from mockapi.core.results import Reply

from . import png

PREFIX = "/mock-assets/"
LIFETIME = 3600
MAX_EDGE = 4096
_PATH = re.compile(r"^/mock-assets/images/(\d{1,4})x(\d{1,4})-([0-9a-f]{32})\.png$")


def base_url(headers: Mapping[str, str], public_url: str | None = None) -> str:
    """The origin a client reached the mock at, from its request headers (or the configured public URL)."""
    if public_url:
        return public_url.rstrip("/")
    host = headers.get("x-forwarded-host") or headers.get("host") or "127.0.0.1"
    scheme = headers.get("x-forwarded-proto")
    if not scheme:
        local = host.startswith(("127.", "localhost", "[::1]", "0.0.0.0")) or re.search(r":\d+$", host)
        scheme = "http" if local else "https"
    return f"{scheme}://{host}"


def image_url(origin: str, seed: str, width: int, height: int, created: int) -> str:
    """The URL of the picture for ``seed`` at ``width`` x ``height``."""
    return f"{origin}{PREFIX}images/{width}x{height}-{seed}.png?se={created + LIFETIME}"


def route(now: Callable[[], float]) -> Callable[..., Reply | None]:
    """The asset route: ``GET /mock-assets/images/<w>x<h>-<seed>.png?se=<expiry>``."""

    def serve(request) -> Reply | None:  # noqa: ANN001 - engine.Request (imported lazily by the engine)
        match = _PATH.match(request.path)
        if request.method not in ("GET", "HEAD") or match is None:
            return _plain(404, "The asset does not exist.")
        width, height, seed = int(match.group(1)), int(match.group(2)), match.group(3)
        if not (0 < width <= MAX_EDGE and 0 < height <= MAX_EDGE):
            return _plain(404, "The asset does not exist.")
        expiry = parse_qs(request.query).get("se", [""])[0]
        if not expiry.isdigit() or now() > int(expiry):
            return _plain(403, "The link has expired: image URLs are valid for 60 minutes.")
        body = png.artwork(seed, width, height)
        return Reply(200, [("content-type", "image/png"), ("cache-control", "private, max-age=3600")], body)

    return serve


def _plain(status: int, message: str) -> Reply:
    return Reply(status, [("content-type", "text/plain; charset=utf-8")], message.encode())
