"""Routing a request path to a contract operation: path templates as regexes, indexed by first segment."""

from __future__ import annotations

import re
from typing import Any, Sequence


def path_pattern(template: str) -> re.Pattern[str]:
    """``/files/{file_id}`` as an anchored regex with one named group per parameter."""
    parts = re.split(r"({\w+})", template)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def first_segment(path: str) -> str:
    """A path's first segment: ``chat`` for ``/chat/completions``."""
    return path[1:].split("/", 1)[0] if path.startswith("/") else ""


class RouteIndex:
    """Operations (anything with ``path``, ``method`` and a compiled ``pattern``) findable by request path.

    Only operations whose path starts with the request's first segment can match it, so each request tries
    those few patterns, in the operations' own order, instead of all of them (381 in the contract); an
    operation whose first segment is a parameter goes in every list.
    """

    def __init__(self, operations: Sequence[Any]) -> None:
        self._wild = [o for o in operations if first_segment(o.path).startswith("{")]
        self._by_head: dict[str, list[Any]] = {}
        for o in operations:
            head = first_segment(o.path)
            if not head.startswith("{"):
                self._by_head.setdefault(head, []).append(o)
        rank = {id(o): i for i, o in enumerate(operations)}
        for ops in self._by_head.values():
            ops.extend(self._wild)
            ops.sort(key=lambda o: rank[id(o)])
        # What a path without parameters matched (``/chat/completions``: most requests), found once; a path with an
        # id in it (any number of them) is matched each time. Only the contract's own parameterless paths with their
        # operations' methods are kept, so this holds at most one entry per operation.
        self._plain: dict[tuple[str, str], tuple[Any, tuple[str, ...]]] = {}

    def match(self, method: str, path: str) -> tuple[Any, dict[str, str], list[str]]:
        """The first operation matching ``method`` and ``path``, its path parameters, and the methods the path allows."""
        known = self._plain.get((method, path))
        if known is not None:
            return known[0], {}, list(known[1])
        op, params, allowed = self._match(method, path)
        if op is not None and not params:
            self._plain[(method, path)] = (op, tuple(allowed))
        return op, params, allowed

    def _match(self, method: str, path: str) -> tuple[Any, dict[str, str], list[str]]:
        allowed: list[str] = []
        for op in self._by_head.get(first_segment(path), self._wild):
            found = op.pattern.match(path)
            if found is None:
                continue
            if op.method == method:
                return op, found.groupdict(), allowed
            allowed.append(op.method)
        return None, {}, allowed
