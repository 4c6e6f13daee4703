"""WebSockets in the in-process mode: the SDK's Realtime and Responses sockets, sent where the interception says.

The SDK opens its WebSockets with the ``websockets`` package (``websockets.sync.client.connect``, and the
``websockets.asyncio.client.connect`` class its async client subclasses), which no httpx transport sees. While an
interception is active, these are patched so that each socket's URI first passes through the interception
(:func:`mockapi.doors.intercept.redirect_websocket`): a mocked base URL becomes its loopback server's, any other
host is refused like an unmatched HTTP request.
"""

from __future__ import annotations

from typing import Any, Callable

MODULES = ("websockets.sync.client", "websockets.asyncio.client")

Redirect = Callable[[str, dict[str, Any]], str]  # (uri, connect options it may edit) -> the uri to dial


def patch(module: Any, patch_one: Callable[[Any, str, Callable[..., Any]], None], redirect: Redirect) -> None:
    """Make one of :data:`MODULES` dial ``redirect(uri, options)`` (``patch_one(owner, name, new)`` keeps originals)."""
    if module.__name__ == "websockets.sync.client":
        original = module.__dict__["connect"]

        def connect(uri: str, *args: Any, **kwargs: Any) -> Any:
            return original(redirect(uri, kwargs), *args, **kwargs)

        patch_one(module, "connect", connect)
    else:
        original_init = module.connect.__dict__["__init__"]

        def __init__(self: Any, uri: str, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - replaces connect.__init__
            original_init(self, redirect(uri, kwargs), *args, **kwargs)

        patch_one(module.connect, "__init__", __init__)
