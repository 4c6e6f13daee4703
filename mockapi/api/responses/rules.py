"""The real API's semantic rules for ``POST /responses``, applied at validation level ``faithful``."""

from __future__ import annotations

from typing import Any

from mockapi.content.reasoning import check_effort, check_sampling
from mockapi.content.strict import violations
from mockapi.core.catalog import ModelInfo
from mockapi.core.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    InvalidValueError,
)

from .request import ResponsesRequest, hosted_kind, text_of


def check(request: ResponsesRequest, model: ModelInfo) -> None:
    """Raise the 400 the real API gives for the request alone (before any state is read)."""
    body = request.body
    if body.get("previous_response_id") and body.get("conversation"):
        raise InvalidRequestError("Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or "
                                  "'conversation'.", param="conversation", code="mutually_exclusive_parameters")
    if body.get("background") and body.get("store") is False:
        raise InvalidRequestError("Background responses must be stored: 'store' cannot be false when 'background' is true.", param="store")
    if body.get("stream_options") is not None and not body.get("stream"):
        raise InvalidRequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param="stream_options")
    _check_tools(request)
    _check_tool_choice(request)
    _check_formats(request)
    _check_model(request, model)


def _check_tools(request: ResponsesRequest) -> None:
    names = [t.name for t in request.functions]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise InvalidRequestError(f"Duplicate tool name: '{name}'. Tool names must be unique.", param="tools")
    for i, tool in enumerate(request.body.get("tools") or []):
        if tool.get("type") == "function" and tool.get("strict"):
            base = f"tools[{i}].parameters"
            for path, message in violations(tool.get("parameters") or {"type": "object", "properties": {}, "required": [], "additionalProperties": False}, base):
                raise InvalidRequestError(f"Invalid schema for function '{tool.get('name')}': In context=({path}), {message}.",
                                          param=base, code="invalid_function_parameters")


def _check_tool_choice(request: ResponsesRequest) -> None:
    choice = request.body.get("tool_choice")
    if not isinstance(choice, dict):
        return
    kind = choice.get("type")
    if kind in ("function", "custom"):
        if choice.get("name") not in [t.name for t in request.functions]:
            raise InvalidValueError(f"Tool choice '{choice.get('name')}' not found in 'tools' parameter.", param="tool_choice")
    elif kind not in ("allowed_tools", "mcp") and request.hosted_tool(hosted_kind(str(kind))) is None:
        raise InvalidValueError(f"Tool choice '{kind}' not found in 'tools' parameter.", param="tool_choice")


def _check_formats(request: ResponsesRequest) -> None:
    fmt = request.text_format()
    if fmt.get("type") == "json_schema" and fmt.get("strict"):
        for path, message in violations(fmt.get("schema"), "text.format.schema"):
            raise InvalidRequestError(f"Invalid schema for response_format '{fmt.get('name')}': In context=({path}), {message}.",
                                      param="text.format.schema", code="invalid_json_schema")
    if fmt.get("type") == "json_object":
        said = [text_of(i.get("content")) for i in request.items] + [str(request.body.get("instructions") or "")]
        if not any("json" in s.lower() for s in said):
            raise InvalidRequestError("Response input messages must contain the word 'json' in some form to use 'text.format' of type "
                                      "'json_object'.", param="input")


def _check_model(request: ResponsesRequest, model: ModelInfo) -> None:
    body = request.body
    if (request.functions or request.hosted) and not model.tools:
        raise InvalidRequestError(f"Tools are not supported with model {model.id}.", param="tools", code="unsupported_parameter")
    effort = (body.get("reasoning") or {}).get("effort")
    check_effort(model, effort, "reasoning.effort")
    check_sampling(model, body, effort, chat=False)
    limit = body.get("max_output_tokens")
    if limit is not None and limit > model.max_output_tokens:
        raise InvalidValueError(f"max_output_tokens is too large: {limit}. This model supports at most {model.max_output_tokens} output tokens.",
                                param="max_output_tokens")
    for i, item in enumerate(request.items):
        for j, part in enumerate(item.get("content") if isinstance(item.get("content"), list) else []):
            if isinstance(part, dict) and part.get("type") == "input_image" and not model.vision:
                raise InvalidRequestError(f"Model {model.id} does not support image inputs.", param=f"input[{i}].content[{j}]",
                                          code="invalid_value")


def check_context(request: ResponsesRequest, history: list[dict[str, Any]], prompt_tokens: int, model: ModelInfo) -> None:
    """Rules that need the conversation: tool outputs answer calls, and the context fits the model."""
    calls = {i.get("call_id") for i in history + request.items if str(i.get("type", "")).endswith("_call") and i.get("call_id")}
    answered = set()
    for i, item in enumerate(request.items):
        if item.get("type") == "function_call_output":
            if item.get("call_id") not in calls:
                raise InvalidRequestError(f"No tool call found for function call output with call_id {item.get('call_id')}.",
                                          param=f"input[{i}]")
            answered.add(item.get("call_id"))
    pending = [i for i in _trailing_calls(history) if i["type"] == "function_call" and i.get("call_id") not in answered]
    if pending and request.body.get("previous_response_id"):
        raise InvalidRequestError(f"No tool output found for function call {pending[0]['call_id']}.", param="input")
    if prompt_tokens > model.context_window and (request.body.get("truncation") or "disabled") == "disabled":
        raise ContextLengthExceededError(
            f"Your input exceeds the context window of this model ({prompt_tokens} tokens > {model.context_window}). "
            "Please adjust your input and try again, or set 'truncation' to 'auto'.", param="input")


def _trailing_calls(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in reversed(history):
        if item.get("type") in ("function_call", "reasoning"):
            found.append(item)
        else:
            break
    return found
