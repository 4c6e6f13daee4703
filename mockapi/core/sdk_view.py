"""The SDK's view of a request schema (validation level ``schema``), from the keywords contractgen writes."""

from __future__ import annotations

from typing import Any

# Contract keywords written by contractgen: the SDK's own required list (enforced at level schema), and
# the null branch of an optional field, which the server reads as absent.
SDK_REQUIRED = "x-sdk-required"
NULL_MEANS_ABSENT = "x-null-means-absent"


def sdk_view(schema: dict[str, Any]) -> dict[str, Any]:
    """A request schema as the SDK's types say it: ``x-sdk-required`` as ``required``, no null-for-absent branches."""
    if isinstance(schema, list):
        return [sdk_view(s) for s in schema]  # type: ignore[return-value]
    if not isinstance(schema, dict):
        return schema
    branches = schema.get("anyOf")
    if isinstance(branches, list) and any(isinstance(b, dict) and b.get(NULL_MEANS_ABSENT) for b in branches):
        kept = [b for b in branches if not (isinstance(b, dict) and b.get(NULL_MEANS_ABSENT))]
        if len(kept) == 1 and len(schema) == 1:
            return sdk_view(kept[0])
        schema = {**schema, "anyOf": kept}
    out = {k: sdk_view(v) for k, v in schema.items()}
    if SDK_REQUIRED in out:
        out["required"] = out[SDK_REQUIRED]
    return out
