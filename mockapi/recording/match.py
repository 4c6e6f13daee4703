"""Matching: a request's meaning (operation, path ids, query, body minus transport and volatile fields).

Deterministic: the meaning is canonical JSON, compared to each fixture's ``match.request`` as the
fixture says (``exact``, ``subset`` or ``regex``). Identical requests replay the recorded exchanges
in order (the n-th identical request gets the n-th matching fixture, the last one repeating), so a
conversation whose turns repeat a request, or a list that changed between two calls, replays turn by turn.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .fixture import Fixture

if TYPE_CHECKING:
    from mockapi.core.engine import Call

    from .scrub import Scrubber

# Body fields that say nothing about the answer's content: who is asking, caching and routing hints.
VOLATILE_FIELDS = frozenset({"user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention",
                             "stream_options", "service_tier"})


def canonical(value: Any) -> str:
    """Canonical JSON text of ``value`` (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def raw_body(call: Call) -> bytes:
    """The request's bytes (a spooled upload is read and rewound for the handler)."""
    request = call.request
    if request.body or request.body_file is None:
        return request.body
    request.body_file.seek(0)
    data = request.body_file.read()
    request.body_file.seek(0)
    return data


def _form_digest(call: Call) -> str | None:
    data = raw_body(call)
    if not data:
        return None
    content_type = call.request.headers.get("content-type", "")
    boundary = re.search(r"boundary=\"?([^\";]+)", content_type)
    if boundary:  # the boundary is random per request: it is transport, not meaning
        data = data.replace(boundary.group(1).encode(), b"BOUNDARY")
    return hashlib.sha256(data).hexdigest()


def meaning(call: Call, scrubber: Scrubber) -> dict[str, Any]:
    """The matchable parts of a request, scrubbed as the fixture's were."""
    out: dict[str, Any] = {"operation": call.op.operation_id}
    if call.path_params:
        out["params"] = dict(call.path_params)
    if call.query:
        out["query"] = dict(call.query)
    if isinstance(call.body, dict):
        out["body"] = {k: v for k, v in call.body.items() if k not in VOLATILE_FIELDS}
    else:
        form = _form_digest(call)
        if form:
            out["form_sha256"] = form
    return scrubber.json(out)


def contains(pattern: Any, value: Any, *, regex: bool = False) -> bool:
    """Whether ``value`` has every part ``pattern`` has (strings as full-match regexes when ``regex``)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(k in value and contains(v, value[k], regex=regex) for k, v in pattern.items())
    if isinstance(pattern, list):
        return (isinstance(value, list) and len(pattern) == len(value)
                and all(contains(p, v, regex=regex) for p, v in zip(pattern, value)))
    if regex and isinstance(pattern, str) and not isinstance(value, (dict, list)):
        text = value if isinstance(value, str) else canonical(value)
        return re.fullmatch(pattern, text, flags=re.DOTALL) is not None
    return pattern == value


def matches(fixture: Fixture, request: dict[str, Any]) -> bool:
    """Whether ``fixture`` answers a request of this meaning."""
    wanted = fixture.match.get("request")
    if wanted is None:
        return fixture.operation == request["operation"]
    if fixture.mode == "exact":
        return canonical(wanted) == canonical(request)
    return contains(wanted, request, regex=fixture.mode == "regex")


def candidates(fixtures: Iterable[Fixture], request: dict[str, Any]) -> list[Fixture]:
    """Every fixture answering ``request``: exact ones first, then subset and regex ones, each in recording order."""
    found = [f for f in fixtures if f.operation == request["operation"] and matches(f, request)]
    return sorted(found, key=lambda f: f.mode != "exact")  # stable: recording order within each group


def closest(fixtures: Iterable[Fixture], request: dict[str, Any]) -> tuple[Fixture | None, list[str]]:
    """The fixture most like ``request`` and the top-level parts where they differ."""
    best: tuple[float, Fixture | None, list[str]] = (-1.0, None, [])
    for fixture in fixtures:
        wanted = fixture.match.get("request") or {"operation": fixture.operation}
        differs = _differences(wanted, request)
        score = (wanted.get("operation") == request["operation"]) * 100 - len(differs)
        if score > best[0]:
            best = (score, fixture, differs)
    return best[1], best[2]


def _differences(wanted: dict[str, Any], request: dict[str, Any]) -> list[str]:
    out = []
    for part in sorted(set(wanted) | set(request)):
        a, b = wanted.get(part), request.get(part)
        if isinstance(a, dict) and isinstance(b, dict) and part != "operation":
            out += [f"{part}.{k}" for k in sorted(set(a) | set(b)) if canonical(a.get(k)) != canonical(b.get(k))]
        elif canonical(a) != canonical(b):
            out.append(part)
    return out
