"""Keep a client script off the network: only loopback may be resolved or connected to.

Imported first by the real-client scripts. A client that reaches out anyway (tracing exports, a
model cost map, a tokenizer download) gets an OSError, and the attempt is listed in ``BLOCKED`` so
the test can fail on it rather than let the client fall back quietly.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

BLOCKED: list[str] = []
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(host: Any) -> bool:
    if host is None:  # getaddrinfo(None, port): the local wildcard
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> OSError:
    BLOCKED.append(what)
    return OSError(f"offline test: {what} refused (no network but the mock on loopback)")


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        raise _refuse(f"resolve {host}:{port}")
    return _real_getaddrinfo(host, port, *args, **kwargs)


def _connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise _refuse(f"connect {address[0]}:{address[1]}")
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise _refuse(f"connect {address[0]}:{address[1]}")
    return _real_connect_ex(self, address)


socket.getaddrinfo = _getaddrinfo
socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
