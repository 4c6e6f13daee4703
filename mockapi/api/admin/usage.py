"""The usage and costs endpoints: buckets of what the recorder counted (mockapi/api/admin/recorder.py).

Shapes as the SDK's ``Usage*Response`` types read them: ``{object: "page", data: [{object: "bucket",
start_time, end_time, results: [...]}], has_more, next_page}``. ``start_time`` is required; buckets are
``bucket_width`` wide (``1m``, ``1h``, ``1d``; costs only ``1d``), aligned to the width, from
``start_time`` to ``end_time`` (default: now), at most ``limit`` per page (defaults 60/24/7, maxima
1440/168/31, as the API reference gives them); ``next_page`` continues. Without ``group_by`` a bucket has
one result with the totals (none when nothing was counted); with it, one result per group, the grouped
fields set and the others null. Costs come from fixtures/prices.yaml.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import yaml

from mockapi.core.errors import (
    InvalidRequestError,
    InvalidValueError,
    out_of_range,
    supported_values,
)
from mockapi.core.paths import fixtures_dir
from mockapi.core.repo import Repo

from .recorder import USAGE_INDEX, counters, settle

WIDTHS = {"1m": 60, "1h": 3600, "1d": 86400}
DEFAULT_LIMIT = {"1m": 60, "1h": 24, "1d": 7}
MAX_LIMIT = {"1m": 1440, "1h": 168, "1d": 31}
# What each usage kind reports, beyond the grouping fields (the SDK's Usage*Result types).
FIELDS = {
    "completions": ("input_tokens", "output_tokens", "input_cached_tokens", "num_model_requests"),
    "embeddings": ("input_tokens", "num_model_requests"),
    "moderations": ("input_tokens", "num_model_requests"),
    "images": ("images", "num_model_requests"),
    "audio_speeches": ("characters", "num_model_requests"),
    "audio_transcriptions": ("seconds", "num_model_requests"),
}
GROUPING = {
    "completions": ("project_id", "user_id", "api_key_id", "model", "batch", "service_tier"),
    "images": ("project_id", "user_id", "api_key_id", "model", "size", "source"),
}
FILTERS = {"project_ids": "project_id", "models": "model", "api_key_ids": "api_key_id", "sources": "source", "sizes": "size"}


def _many(query: str, name: str) -> list[str]:
    return [v for k, v in parse_qsl(query) if k in (name, f"{name}[]")]


def _int(call: Any, name: str, default: int | None = None) -> int | None:
    raw = call.query.get(name)
    if raw in (None, ""):
        return default
    value = _bounded_int(raw)
    if value is None:
        raise InvalidValueError(f"Invalid '{name}': expected an integer, but got {raw!r} instead.", param=name)
    return value


def _bounded_int(text: str) -> int | None:
    """``text`` as an integer, or None when it is none or is past 62 bits: no timestamp or count is (and a bucket's
    end past 64 bits could not be written as JSON); more than 20 digits are not even read."""
    if not text.lstrip("-").isdigit() or len(text) > 20:
        return None
    value = int(text)
    return value if abs(value) < 2 ** 62 else None


def _window(call: Any, costs: bool) -> tuple[str, list[int], int]:
    start = _int(call, "start_time")
    if start is None:
        raise InvalidRequestError("Missing required parameter: 'start_time'.", param="start_time",
                                  code="missing_required_parameter")
    width = call.query.get("bucket_width") or "1d"
    if width not in (("1d",) if costs else WIDTHS):
        allowed = "'1d'" if costs else "'1m', '1h' and '1d'"
        raise InvalidValueError(f"Invalid value: '{width}'. Supported values are: {allowed}.", param="bucket_width")
    limit = _int(call, "limit", DEFAULT_LIMIT[width])
    if not 1 <= limit <= MAX_LIMIT[width]:
        # documented range (usage API reference: the per-bucket-width maximum of limit), in the generic range wording
        # instead of the invented "expected a value between"; no public report quotes this endpoint's own 400
        raise out_of_range("limit", limit, 1 if limit < 1 else MAX_LIMIT[width], below=limit < 1)
    seconds = WIDTHS[width]
    first = start - start % seconds
    if call.query.get("page"):
        page = call.query["page"]
        given = _bounded_int(page) if page.isdigit() else None
        if given is None:
            raise InvalidValueError(f"Invalid 'page': {page!r} is not a page this list gave.", param="page")
        first = given
    end = _int(call, "end_time", call.clock.timestamp() + 1)
    # Slice the range before listing it: a start_time decades back (or fuzzed to -1e16) spans billions of buckets.
    starts = list(range(first, max(first, end), seconds)[: limit + 1])
    return width, starts, limit


def _groups(call: Any, repo: Repo, kind: str) -> list[dict[str, Any]]:
    wanted = {field: set(_many(call.request.query, name)) for name, field in FILTERS.items()}
    out = []
    settle(repo.store)  # the recorder may hold counts it has yet to add (it adds them in batches)
    for group in repo.list(USAGE_INDEX):
        if group["kind"] != kind and not (kind == "costs" and group["kind"] in FIELDS):
            continue
        if any(values and group.get(field) not in values for field, values in wanted.items()):
            continue
        out.append({**group, **counters(repo.store, repo.tenant, group["id"])})
    return out


def page(call: Any, repo: Repo, kind: str) -> dict[str, Any]:
    """One page of usage (``kind``: completions, embeddings, ...) or of costs (``kind`` "costs")."""
    costs = kind == "costs"
    width, starts, limit = _window(call, costs)
    seconds = WIDTHS[width]
    group_by = _many(call.request.query, "group_by")
    allowed = ("project_id", "line_item", "user_id", "api_key_id") if costs else GROUPING.get(kind, ("project_id", "user_id", "api_key_id", "model"))
    for field in group_by:
        if field not in allowed:
            raise InvalidValueError(f"Invalid value: '{field}'. Supported values are: {supported_values(allowed)}.",
                                    param="group_by")
    groups = _groups(call, repo, kind)
    more = len(starts) > limit
    starts = starts[:-1] if more else starts
    buckets = []
    for start in starts:
        inside = [g for g in groups if start <= g["start"] < start + seconds]
        results = _cost_results(inside, group_by) if costs else _usage_results(inside, kind, group_by)
        buckets.append({"object": "bucket", "start_time": start, "end_time": start + seconds, "results": results})
    return {"object": "page", "data": buckets, "has_more": more,
            "next_page": str(starts[-1] + seconds) if more and starts else None}


def _usage_results(groups: list[dict[str, Any]], kind: str, group_by: list[str]) -> list[dict[str, Any]]:
    fields = FIELDS.get(kind, ("num_model_requests",))
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for g in groups:
        key = tuple(_group_value(g, f) for f in group_by)
        result = merged.setdefault(key, {"object": f"organization.usage.{kind}.result", **{f: 0 for f in fields},
                                         **{f: None for f in GROUPING.get(kind, ("project_id", "user_id", "api_key_id", "model"))},
                                         **dict(zip(group_by, key))})
        for f in fields:
            result[f] += g.get(f, 0)
    return [r for r in merged.values() if r["num_model_requests"]]


def _group_value(group: dict[str, Any], field: str) -> Any:
    return False if field == "batch" else group.get(field)


@lru_cache(maxsize=1)
def price_table() -> dict[str, Any]:
    """The per-model prices (fixtures/prices.yaml)."""
    return yaml.safe_load((fixtures_dir() / "prices.yaml").read_text())


def prices_for(model: str | None) -> dict[str, float]:
    """The prices of ``model``: its table entry (longest prefix listed first), else the default."""
    table = price_table()
    for entry in table["models"]:
        if model and model.startswith(entry["match"]):
            return {**{k: 0.0 for k in table["default"]}, **{k: v for k, v in entry.items() if k != "match"}}
    return dict(table["default"])


def line_items(group: dict[str, Any]) -> list[tuple[str, float, float, str]]:
    """(line item, amount in USD, quantity, unit) for one counted group."""
    model = group.get("model") or "unknown"
    p = prices_for(group.get("model"))
    cached = group.get("input_cached_tokens", 0)
    out = []
    if group.get("input_tokens"):
        uncached = group["input_tokens"] - cached
        out.append((f"{model}, input", (uncached * p.get("input", 0) + cached * p.get("cached_input", 0)) / 1e6,
                    group["input_tokens"], "tokens"))
    if group.get("output_tokens"):
        out.append((f"{model}, output", group["output_tokens"] * p.get("output", 0) / 1e6, group["output_tokens"], "tokens"))
    if group.get("images"):
        out.append((f"{model}, images", group["images"] * p.get("image", 0), group["images"], "images"))
    if group.get("characters"):
        out.append((f"{model}, characters", group["characters"] * p.get("character", 0) / 1e6, group["characters"], "characters"))
    if group.get("seconds"):
        out.append((f"{model}, seconds", group["seconds"] * p.get("second", 0), group["seconds"], "duration_seconds"))
    return out


def _cost_results(groups: list[dict[str, Any]], group_by: list[str]) -> list[dict[str, Any]]:
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for g in groups:
        for item, amount, quantity, unit in line_items(g):
            values = {"project_id": g.get("project_id"), "api_key_id": g.get("api_key_id"), "user_id": None, "line_item": item}
            key = tuple(values[f] for f in group_by)
            result = merged.setdefault(key, {"object": "organization.costs.result", "amount": {"value": 0.0, "currency": "usd"},
                                             "line_item": None, "project_id": None, "api_key_id": None, "user_id": None,
                                             **{f: values[f] for f in group_by}})
            result["amount"]["value"] = round(result["amount"]["value"] + amount, 10)
            if "line_item" in group_by:
                result["quantity"], result["quantity_unit"] = result.get("quantity", 0) + quantity, unit
    return list(merged.values())
