"""Routing by first path segment finds exactly what a scan of every operation, in order, finds."""

from __future__ import annotations

import re

from mockapi.core.contract import load_contract


def scan(contract, method: str, path: str):
    """The operation, path parameters and allowed methods by trying every route in order (the plain way)."""
    allowed: list[str] = []
    for op in contract.routes:
        found = op.pattern.match(path)
        if found is None:
            continue
        if op.method == method:
            return op, found.groupdict(), allowed
        allowed.append(op.method)
    return None, {}, allowed


def test_indexed_match_equals_a_full_scan():
    contract = load_contract()
    paths = ["", "/", "//", "/chat", "chat/completions", "/v1/chat/completions", "/unknown/thing"]
    for template in {op.path for op in contract.routes}:
        for value in ("abc", "completions", "file-123", "{id}"):
            concrete = re.sub(r"{\w+}", value, template)
            paths += [template, concrete, concrete + "/", "/x" + concrete, concrete.rsplit("/", 1)[0]]
    for path in paths:
        for method in ("GET", "POST", "DELETE", "PUT", "PATCH"):
            assert contract.match(method, path) == scan(contract, method, path), (method, path)


def test_a_path_matched_again_gives_the_same_answer_in_new_containers():
    contract = load_contract()
    for method, path in [("POST", "/chat/completions"), ("GET", "/chat/completions"), ("PUT", "/chat/completions"),
                         ("GET", "/models"), ("DELETE", "/files/file-1"), ("GET", "/nowhere")]:
        first = contract.match(method, path)
        first[1]["leaked"] = "x"
        first[2].append("LEAKED")
        assert contract.match(method, path) == scan(contract, method, path)
