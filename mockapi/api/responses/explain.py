"""Clear 400s for the reference's Responses mistakes (seed-inventory §5.2): the shape that was meant.

The contract already rejects these bodies with the real API's message; this adds what to send
instead, and points ``param`` at the mistake. Only called for a body the contract refused.
"""

from __future__ import annotations

from typing import Any

from mockapi.core.errors import InvalidRequestError, UnknownParameterError

_FLAT_FUNCTION = '{"type": "function", "name": "...", "description": "...", "parameters": {...}, "strict": true}'
_FLAT_FORMAT = '{"text": {"format": {"type": "json_schema", "name": "...", "schema": {...}, "strict": true}}}'
_CHAT_ONLY = {
    "messages": "Use 'input' (a string or a list of items) instead; a system prompt goes in 'instructions'.",
    "response_format": "Use 'text.format' instead: " + _FLAT_FORMAT + ".",
    "max_tokens": "Use 'max_output_tokens' instead (at least 16).",
    "max_completion_tokens": "Use 'max_output_tokens' instead (at least 16).",
    "functions": "Use 'tools' with flat function tools: " + _FLAT_FUNCTION + ".",
    "n": "The Responses API returns one output; send several requests for several answers.",
}


def explain(body: Any, error: InvalidRequestError) -> InvalidRequestError:
    """``error``, or a 400 naming the right shape when ``body`` makes one of the reference's mistakes."""
    if not isinstance(body, dict):
        return error
    tools = body.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, list) else []):  # a wrong-typed `tools` keeps its 400
        found = _tool(i, tool) if isinstance(tool, dict) else None
        if found is not None:
            return found
    if "tool_resources" in body:
        return _unrecognized("tool_resources", "The Responses API has no 'tool_resources': give the vector stores to the "
                             'file_search tool itself: {"type": "file_search", "vector_store_ids": ["vs_..."]}.')
    fmt = (body.get("text") or {}).get("format") if isinstance(body.get("text"), dict) else None
    if isinstance(fmt, dict) and "json_schema" in fmt:
        return InvalidRequestError(
            "Missing required parameter: 'text.format.name'. In the Responses API 'text.format' is flat, without a nested "
            "'json_schema' object: " + _FLAT_FORMAT + ".", param="text.format.name", code="missing_required_parameter")
    for key, hint in _CHAT_ONLY.items():
        if key in body:
            return _unrecognized(key, hint)
    return error


def _unrecognized(name: str, hint: str) -> InvalidRequestError:
    """The real unknown-top-level-argument 400 (param and code null, as mockapi/core/schema_errors.py to_api_error), plus the hint."""
    return InvalidRequestError(f"Unrecognized request argument supplied: {name}. {hint}")


def _tool(i: int, tool: dict[str, Any]) -> InvalidRequestError | None:
    kind = tool.get("type")
    where = f"tools[{i}]"
    if kind == "function" and isinstance(tool.get("function"), dict) and "name" not in tool:
        return InvalidRequestError(
            f"Missing required parameter: '{where}.name'. In the Responses API function tools are flat, not nested under "
            f"'function' as in Chat Completions: {_FLAT_FUNCTION}.", param=f"{where}.name", code="missing_required_parameter")
    if kind == "code_interpreter" and "container" not in tool:
        return InvalidRequestError(
            f"Missing required parameter: '{where}.container'. code_interpreter needs a container: "
            '{"type": "code_interpreter", "container": {"type": "auto"}} or an existing container id ("cntr_...").',
            param=f"{where}.container", code="missing_required_parameter")
    if kind == "file_search" and "vector_store_ids" not in tool:
        return InvalidRequestError(
            f"Missing required parameter: '{where}.vector_store_ids'. file_search takes its vector stores in the tool: "
            '{"type": "file_search", "vector_store_ids": ["vs_..."]} (there is no \'tool_resources\' in the Responses API).',
            param=f"{where}.vector_store_ids", code="missing_required_parameter")
    if isinstance(kind, str) and kind.startswith("computer_20"):
        return InvalidRequestError(
            f"Invalid value: '{kind}'. Use the computer_use_preview tool: "
            '{"type": "computer_use_preview", "display_width": 1024, "display_height": 768, "environment": "browser"}.',
            param=f"{where}.type", code="invalid_value")
    if kind == "shell" and isinstance(tool.get("shell"), dict):
        return UnknownParameterError(
            f"Unknown parameter: '{where}.shell'. The shell tool takes only an environment: "
            '{"type": "shell"} or {"type": "shell", "environment": {"type": "container_auto"}}.', param=f"{where}.shell")
    if kind == "apply_patch" and isinstance(tool.get("apply_patch"), dict):
        return UnknownParameterError(
            f"Unknown parameter: '{where}.apply_patch'. The apply_patch tool has no configuration: {{\"type\": \"apply_patch\"}}.",
            param=f"{where}.apply_patch")
    return None
