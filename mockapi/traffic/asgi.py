"""Connection faults at the socket: reset before headers, stall until the client gives up, cut mid-body.

ASGI has no message for "drop the connection", so the door sends a private marker message
``{"type": MARKER, "action": "reset" | "stall"}`` instead of a response, or raises :class:`StreamCut`
mid-body, and :class:`ConnectionFaults`, the outermost middleware, turns either into a real abort
of the server's transport (an RST).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any, Awaitable, Callable

MARKER = "mockapi.connection"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class StreamCut(Exception):
    """Raised by the door inside a body iterator: drop the connection now."""


class ClientGone(Exception):
    """Raised into the door when the client has left mid-stream, so long streams (the journal feed) stop."""


class ConnectionFaults:
    """Pure ASGI middleware; must wrap everything else so that it holds the server's own ``send``."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through, acting on connection-fault markers and stream cuts."""
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        dropped = False

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal dropped
            if dropped:
                return
            if message.get("type") == MARKER:
                dropped = True
                if message.get("action") == "stall":
                    try:
                        while (await receive()).get("type") != "http.disconnect":
                            pass
                    except asyncio.CancelledError:  # the server is shutting down: drop the stalled connection now
                        await _abort(send)
                        return
                await _abort(send)
                return
            await send(message)
            if message.get("more_body") and getattr(getattr(send, "__self__", None), "disconnected", False):
                raise ClientGone()  # the server drops writes to a gone client silently; stop producing them

        try:
            await self.app(scope, receive, guarded_send)
        except BaseException as exc:  # noqa: BLE001 - only our own signals are swallowed
            if _only(exc, ClientGone):
                return
            if not _only(exc, StreamCut):
                raise
            dropped = True
            await _abort(send)


def _only(exc: BaseException, kind: type[BaseException]) -> bool:
    if isinstance(exc, kind):
        return True
    inner = getattr(exc, "exceptions", None)  # an exception group from a task group
    return bool(inner) and all(_only(e, kind) for e in inner)


async def _abort(send: Send) -> None:
    """Reset the server's transport behind ``send`` (uvicorn's cycle), with an RST when possible."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise StreamCut("the server does not expose its transport; cannot drop the connection")
    if transport.is_closing():  # the client already left (under uvloop its socket is then fd -1)
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except (OSError, ValueError):  # uvloop raises ValueError("negative file descriptor") on a closed socket
            pass
    transport.abort()
    await asyncio.sleep(0)  # let the server see the connection lost before the app returns
