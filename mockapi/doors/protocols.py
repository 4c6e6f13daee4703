"""uvicorn's HTTP protocols, answering what uvicorn answers itself in the OpenAI error shape.

uvicorn replies to a request it cannot parse (a bad request line, oversized or malformed headers) with a
plain-text 400 before any app sees it; it has no hook for that body, so these subclasses override the one
method that writes it (``send_400_response``, the same in both protocols). They also close a connection
whose first request headers do not arrive within ``HEADER_TIMEOUT`` (uvicorn itself waits forever there;
its ``timeout_keep_alive`` covers only idle time between requests).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from mockapi.core.jsonutil import dumps
from mockapi.core.limits import RequestLimits

HEADER_TIMEOUT = 30.0  # seconds for a new connection's first request line and headers


def _error_response(status: int, reason: str, message: str, code: str | None) -> bytes:
    body = dumps({"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}})
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n")
    return head.encode("latin-1") + body


class _OpenAIShaped:
    """Mixin: OpenAI-shaped 400s from the protocol itself, and the first-headers timeout."""

    transport: asyncio.Transport
    cycle: Any
    loop: asyncio.AbstractEventLoop

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._header_timer.cancel()
        super().connection_lost(exc)  # type: ignore[misc]

    def _headers_too_slow(self) -> None:
        if self.cycle is None and not self.transport.is_closing():  # no request has got past its headers yet
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
            "h11_max_incomplete_event_size": 64 * 1024}  # oversized headers (h11): an OpenAI-shaped 400 too
