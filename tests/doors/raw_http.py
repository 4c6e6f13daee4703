"""Raw HTTP over a socket for the door's limit tests: what a client library would never send."""

from __future__ import annotations

import socket


def raw(port: int, head: bytes) -> socket.socket:
    """A connection to the local server with ``head`` (request line and headers) already sent."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head)
    return sock


def _answered(data: bytes) -> bool:
    return b"\r\n\r\n" in data and data.split(b"\r\n\r\n", 1)[1].rstrip().endswith(b"}")


def read_reply(sock: socket.socket, data: bytes = b"") -> bytes:
    """Read until a whole JSON reply (after ``data`` already read) or the connection closes."""
    while not _answered(data):
        part = sock.recv(65536)
        if not part:
            break
        data += part
    return data


def send_chunked_until_answered(sock: socket.socket, chunk: bytes, body_size: int) -> tuple[bytes, int]:
    """Send ``chunk`` as chunked-body pieces until ``body_size`` bytes or the server answers; the whole reply
    and the bytes sent before it."""
    sent, reply = 0, b""
    sock.settimeout(0.05)
    while sent < body_size:
        try:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        try:
            reply += sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            continue
        if _answered(reply):
            break
    sock.settimeout(10)
    return read_reply(sock, reply), sent
