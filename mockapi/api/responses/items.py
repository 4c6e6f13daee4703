"""Input items as the API lists them: every item with an id, a type, a status and content parts."""

from __future__ import annotations

from typing import Any, Callable

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError

_ID_PREFIX = {"message": "msg_", "function_call": "fc_", "function_call_output": "fco_", "computer_call_output": "cuo_",
              "shell_call_output": "sho_", "apply_patch_call_output": "apco_", "custom_tool_call_output": "ctco_",
              "local_shell_call_output": "lsho_", "reasoning": "rs_"}


def output_id(prefix: str, *parts: Any) -> str:
    """An output item's id as the real API writes it: its prefix and 50 hex digits.

    source: msg_045d5195f1ed9f940068ff5b17fd08819787a7a968fc33300f in a recorded stream; fc_0f0e50a1476a6c35006912c58dc9f8
    819192c25864eb16f07f (github.com/agno-agi/agno/issues/5382), whose 53 characters break chat's 40-character tool call
    ids when a client passes them on: a mock with short ids would hide that bug.
    """
    return make_id(prefix, *parts, length=50, alphabet=HEX)


def prefix_for(item: dict[str, Any]) -> str:
    """The id prefix the real API gives an item of this type."""
    return _ID_PREFIX.get(str(item.get("type")), "item_")


def _parts(role: str, content: Any) -> list[dict[str, Any]]:
    if role == "assistant":
        if isinstance(content, str):
            return [{"type": "output_text", "text": content, "annotations": []}]
        return [{**p, "annotations": p.get("annotations") or []} if p.get("type") == "output_text" else p for p in content or []]
    if isinstance(content, str):
        return [{"type": "input_text", "text": content}]
    out = []
    for part in content or []:
        if part.get("type") == "input_image":
            part = {**part, "detail": part.get("detail") or "auto"}  # the server's default (API reference, input_image.detail)
        out.append(part)
    return out


def listed(item: dict[str, Any], new_id: Callable[[str], str]) -> dict[str, Any]:
    """``item`` (a normalised input item) as stored and listed, with an id from ``new_id(prefix)`` if it had none."""
    kind = item.get("type")
    item_id = item.get("id") or new_id(prefix_for(item))
    if kind == "message":
        role = item.get("role", "user")
        return {"id": item_id, "type": "message", "role": role, "content": _parts(role, item.get("content")), "status": "completed"}
    if kind in ("function_call", "function_call_output", "computer_call_output", "shell_call_output", "apply_patch_call_output",
                "custom_tool_call_output", "local_shell_call_output"):
        return {**item, "id": item_id, "status": item.get("status") or "completed"}
    return {**item, "id": item_id}


def resolve_references(items: list[dict[str, Any]], history: list[dict[str, Any]],
                       find: Callable[[str], dict[str, Any] | None], where: str = "input",
                       in_context: Callable[[str], bool] | None = None) -> list[dict[str, Any]]:
    """``item_reference`` items replaced by the stored items they name; 400 for unknown ids and for items
    already in the context (the real API's "Duplicate item found"): in ``history``, or where ``in_context``
    (a lookup, for a context too long to read whole) finds them."""
    seen = {h.get("id") for h in history if h.get("id")}
    out = []
    for i, item in enumerate(items):
        if item.get("type") == "item_reference":
            found = find(str(item.get("id")))
            if found is None:
                raise InvalidRequestError(f"Item with id '{item.get('id')}' not found.", param=f"{where}[{i}].id")
            item = found
        if item.get("id") and (item["id"] in seen or (in_context is not None and in_context(item["id"]))):
            raise InvalidRequestError(f"Duplicate item found with id {item['id']}. Remove duplicate items from your input and try again.",
                                      param=f"{where}[{i}]")
        if item.get("id"):
            seen.add(item["id"])
        out.append(item)
    return out
