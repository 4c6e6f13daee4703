"""uvicorn's HTTP protocols, answering what uvicorn answers itself in the OpenAI error shape.

uvicorn replies to a request it cannot parse (a bad request line, oversized or malformed headers) with a
plain-text 400 before any app sees it; it has no hook for that body, so these subclasses override the one
method that writes it (``send_400_response``, the same in both protocols). They also close a connection
whose request headers do not arrive within ``HEADER_TIMEOUT``: the first request's, counted from the moment
the connection opens, and on a kept-alive connection every later one's, counted from its first byte. uvicorn
itself waits forever there: its ``timeout_keep_alive`` covers only idle time between requests, and the first
byte of the next request cancels it. A connection upgraded to a WebSocket is the WebSocket's from then on.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from mockapi.core.jsonutil import dumps
from mockapi.core.limits import RequestLimits

HEADER_TIMEOUT = 30.0  # seconds for a request line and headers (a new connection's, or the next on a kept-alive one)


def _error_response(status: int, reason: str, message: str, code: str | None) -> bytes:
    body = dumps({"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}})
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n")
    return head.encode("latin-1") + body


class _OpenAIShaped:
    """Mixin: OpenAI-shaped 400s from the protocol itself, and the request-headers timeout."""

    transport: asyncio.Transport
    cycle: Any
    loop: asyncio.AbstractEventLoop
    # The running headers clock and the request/response cycle it was started after (None: the first request).
    _header_wait: tuple[asyncio.TimerHandle, Any] | None = None
    _rewatch_after_response = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._watch_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_watching()
        super().connection_lost(exc)  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        """Start the next request's headers clock on its first byte, unless those bytes completed its headers."""
        before = self.cycle
        next_request = before is not None and not before.more_body  # the current request has all its bytes
        super().data_received(data)  # type: ignore[misc]
        if next_request and self.cycle is before and not self.transport.is_closing():
            self._watch_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if self._rewatch_after_response:  # the next request began while this response was going
            self._rewatch_after_response = False
            if self.cycle is not None and self.cycle.response_complete and not self.transport.is_closing():
                self._watch_headers()

    def handle_websocket_upgrade(self, *args: Any) -> None:
        self._stop_watching()  # the connection is a WebSocket session now, however long it lasts
        super().handle_websocket_upgrade(*args)  # type: ignore[misc]

    def _watch_headers(self) -> None:
        if self._header_wait is not None and self._header_wait[1] is self.cycle:
            return  # already counting for this request (from its first byte)
        self._stop_watching()
        self._header_wait = (self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow, self.cycle), self.cycle)

    def _stop_watching(self) -> None:
        if self._header_wait is not None:
            self._header_wait[0].cancel()
            self._header_wait = None

    def _headers_too_slow(self, after: Any) -> None:
        self._header_wait = None
        if self.cycle is not after or self.transport.is_closing():
            return  # a request got past its headers since the clock started
        if after is not None and not after.response_complete:
            self._rewatch_after_response = True  # still answering the previous request: count again once it ends
            return
        self.transport.write(_error_response(408, "Request Timeout", "Request timed out: the request headers did "
                                             f"not arrive within {HEADER_TIMEOUT:g} seconds.", "request_timeout"))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """The 400 uvicorn sends for a request it cannot parse, as an OpenAI error."""
        self.transport.write(_error_response(400, "Bad Request", msg, "invalid_http_request"))
        self.transport.close()


class H11(_OpenAIShaped, H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11)."""


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional (the `fast` extra)
    HttpTools = None
else:

    class HttpTools(_OpenAIShaped, HttpToolsProtocol):  # type: ignore[no-redef]
        """uvicorn's fast HTTP/1.1 protocol (httptools)."""


def uvicorn_options(limits: RequestLimits) -> dict[str, Any]:
    """The uvicorn settings every server of the mock uses: its protocol class and the idle-connection timeout."""
    return {"http": HttpTools or H11, "timeout_keep_alive": limits.keep_alive_timeout,
            "h11_max_incomplete_event_size": 64 * 1024,  # oversized headers (h11): an OpenAI-shaped 400 too
            # The mock reads neither the client's address nor the scheme, so uvicorn's X-Forwarded-* rewriting
            # (a middleware walking every request's headers) would be work for nothing.
            "proxy_headers": False}
