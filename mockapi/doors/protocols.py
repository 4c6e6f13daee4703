"""uvicorn's HTTP protocols, answering what uvicorn answers itself in the OpenAI error shape.

uvicorn replies to a request it cannot parse (a bad request line, oversized or malformed headers) with a
plain-text 400 before any app sees it; it has no hook for that body, so these subclasses override the one
method that writes it (``send_400_response``, the same in both protocols). They also close a connection
whose request headers do not arrive within ``HEADER_TIMEOUT``: the first request's, counted from the moment
the connection opens, and on a kept-alive connection every later one's, counted from its first byte. uvicorn
itself waits forever there: its ``timeout_keep_alive`` covers only idle time between requests, and the first
byte of the next request cancels it. A connection upgraded to a WebSocket is the WebSocket's from then on.

They also send what is written to a connection in one turn of the event loop as one write (:class:`JoinedWrites`):
uvicorn writes the head when the app sends ``http.response.start`` and the body at ``http.response.body``, two
system calls and two TCP segments for every answer (three with h11), the first waking the client for a head alone.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from mockapi.core.jsonutil import dumps
from mockapi.core.limits import RequestLimits

HEADER_TIMEOUT = 30.0  # seconds for a request line and headers (a new connection's, or the next on a kept-alive one)
CLOCK_SLACK = 0.01  # a loop may run a timer this much early (its clock's resolution): not worth re-arming for


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
    # The request-headers clock: the loop time by which the awaited request's headers are due, and the
    # request/response cycle it was started after (None: the first request). One timer per connection, armed
    # for the earliest deadline and moved on only when it fires early, so a kept-alive connection's requests
    # move a number, not a timer each (arming and cancelling one per request cost ~3 us of every answer).
    _headers_due: float | None = None
    _headers_after: Any = None
    _headers_timer: asyncio.TimerHandle | None = None
    _rewatch_after_response = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        # Everything the protocol and its request cycles write goes through the joiner; reading (and uvicorn's
        # flow control, made above with the transport itself) does not.
        self.transport = JoinedWrites(transport, self.loop)  # type: ignore[assignment]
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
        if isinstance(self.transport, JoinedWrites):  # the WebSocket protocol gets the transport itself
            self.transport = self.transport.unwrap()
        super().handle_websocket_upgrade(*args)  # type: ignore[misc]

    def _watch_headers(self) -> None:
        if self._headers_due is not None and self._headers_after is self.cycle:
            return  # already counting for this request (from its first byte)
        self._headers_due = self.loop.time() + HEADER_TIMEOUT
        self._headers_after = self.cycle
        if self._headers_timer is None:
            self._headers_timer = self.loop.call_at(self._headers_due, self._headers_clock)

    def _stop_watching(self) -> None:
        self._headers_due = self._headers_after = None
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _headers_clock(self) -> None:
        """The timer: the awaited headers are late, or a later request moved the deadline on since it was armed."""
        self._headers_timer = None
        due = self._headers_due
        if due is None:
            return
        if due - self.loop.time() > CLOCK_SLACK:
            self._headers_timer = self.loop.call_at(due, self._headers_clock)
            return
        after = self._headers_after
        self._headers_due = self._headers_after = None
        self._headers_too_slow(after)

    def _headers_too_slow(self, after: Any) -> None:
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


class JoinedWrites:
    """A connection's transport whose writes within one turn of the event loop leave as one, at the turn's end.

    uvicorn writes a response's head, its body and (h11) its end apart; the app sends them within one turn, so
    an answer that is not a stream leaves in one system call and one TCP segment. Nothing waits longer than the
    turn: a stream's head leaves before its first event is due, and what is held leaves before the connection
    closes. A transport buffers whatever it is given at once, so holding a turn's writes costs no more memory.
    """

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Hold ``data`` until the end of this turn of the loop."""
        if not data:
            return
        held = self._held
        if held is None:
            self._held = [bytes(data)]  # a copy of a buffer the caller may reuse; bytes itself is not copied
            self._loop.call_soon(self.flush)
        else:
            held.append(bytes(data))

    def writelines(self, chunks: Any) -> None:
        """Hold each of ``chunks``, in order."""
        for chunk in chunks:
            self.write(chunk)

    def write_eof(self) -> None:
        """Send what is held, then end the writing side."""
        self.flush()
        self._transport.write_eof()

    def flush(self) -> None:
        """Send what is held, as one write (nothing, once the connection is closing)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            if len(held) == 1:
                self._transport.write(held[0])
            else:  # one vectored write under uvloop, without joining (a stream's turn can hold 100 kB)
                self._transport.writelines(held)

    def close(self) -> None:
        """Send what is held, then close."""
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        """Send what is held, then drop the connection (a fault's cut: the events before it still arrive)."""
        self.flush()
        self._transport.abort()

    def unwrap(self) -> asyncio.Transport:
        """The transport itself, with nothing held."""
        self.flush()
        return self._transport

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, ...: the transport's own
        return getattr(self._transport, name)


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
