"""JSON Schema failures in the real API's words: the 400 each kind of failure gets, with its param and code."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from .errors import (
    InvalidRequestError,
    InvalidValueError,
    UnknownParameterError,
    out_of_range,
    quoted,
    supported_values,
    wrong_length,
)

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def format_path(path: Iterable[Any]) -> str:
    """``['messages', 0, 'role']`` as ``messages[0].role``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# The request schemas (by their SDK title) of the endpoints whose missing-model error is the legacy one:
# chat completions and completions share the title CompletionCreateParamsBase.
_LEGACY_MODEL_MESSAGE = frozenset({"CompletionCreateParamsBase", "EmbeddingCreateParams"})


def to_api_error(error: ValidationError | InvalidRequestError) -> InvalidRequestError:
    """Turn a JSON Schema failure into the 400 the real API would send."""
    if isinstance(error, InvalidRequestError):
        return error
    path = list(error.absolute_path)
    param = format_path(path) or None
    if error.validator == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {}))) if isinstance(error.instance, dict) else []
        name = extras[0] if extras else "?"
        full = format_path([*path, name])
        if not path:
            # The real body names the argument only in the message: param and code are null
            # ({"message": "Unrecognized request argument supplied: functions", "type": "invalid_request_error",
            # "param": null, "code": null}, quoted in public client code; the project brief says the same).
            return InvalidRequestError(f"Unrecognized request argument supplied: {name}", param=None, code=None)
        return UnknownParameterError(f"Unknown parameter: '{full}'.", param=full)
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = format_path([*path, missing[0]]) if missing else param
        if name == "model" and error.schema.get("title") in _LEGACY_MODEL_MESSAGE:
            # The chat, completions and embeddings endpoints answer a missing model in their own words, with
            # param and code null: {"message": "you must provide a model parameter", "type": "invalid_request_error",
            # "param": null, "code": null} (chat: github.com/danielmiessler/Fabric/issues/239, 2024;
            # github.com/transitive-bullshit/agentic/issues/530; embeddings: github.com/tmc/langchaingo/issues/779).
            # The Responses API says "Missing required parameter: 'model'." (github.com/mattermost/mattermost-plugin-agents/issues/476).
            return InvalidRequestError("you must provide a model parameter", param=None, code=None)
        return InvalidRequestError(f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter")
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return out_of_range(param, error.instance, error.validator_value, below="inimum" in str(error.validator))
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return InvalidValueError(f"Invalid value: {quoted(error.instance)}. Supported values are: {supported_values(allowed)}.",
                                 param=param)
    if error.validator in ("maxItems", "minItems", "maxLength", "minLength") and "propertyNames" not in error.absolute_schema_path:
        return wrong_length(param, error.instance, error.validator_value, too_long=error.validator.startswith("max"))
    if error.validator == "pattern" and "propertyNames" not in error.absolute_schema_path:
        # source: {"message": "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that
        # matches the pattern '^[a-zA-Z0-9_-]+$'.", "type": "invalid_request_error", "param": "tools[0].function.name",
        # "code": "invalid_value"} (github.com/brekkylab/ailoy/pull/109; the same for messages[9].tool_calls[0].function.name,
        # github.com/mcp-use/mcp-use/issues/90)
        return InvalidValueError(f"Invalid '{param}': string does not match pattern. Expected a string that matches the "
                                 f"pattern '{error.validator_value}'.", param=param)
    if error.validator == "type":
        return wrong_type(param, error.validator_value, error.instance)
    return InvalidRequestError(f"Invalid '{param or 'body'}': {error.message}", param=param, code="invalid_value")


def generic_error(field: str) -> InvalidRequestError:
    """The older validator's answer some endpoints still give (a rule naming ``x-generic-errors`` lists the fields).

    source: {"message": "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    "type": "invalid_request_error", "param": null, "code": null} for an empty string to embed
    (github.com/aryn-ai/sycamore/pull/943, 2024-10; github.com/openai/openai-python/issues/576)
    """
    return InvalidRequestError(f"'$.{field}' is invalid. Please check the API reference: "
                               "https://platform.openai.com/docs/api-reference.", param=None, code=None)


def wrong_type(param: str | None, expected: Any, value: Any) -> InvalidRequestError:
    """A value of the wrong JSON type: "Invalid type for 'seed': expected an integer or null, but got a string instead."."""
    return InvalidRequestError(f"Invalid type for '{param}': expected {describe_type(expected)}, but got {describe_value(value)} instead.",
                               param=param, code="invalid_type")


def describe_type(expected: Any) -> str:
    """A JSON Schema type (or list of them) as the real messages name it: "a string or an array"."""
    names = expected if isinstance(expected, list) else [expected]
    words = {"string": "a string", "integer": "an integer", "number": "a decimal", "boolean": "a boolean",
             "array": "an array", "object": "an object", "null": "null"}
    return " or ".join(words.get(n, n) for n in names)


def describe_value(value: Any) -> str:
    """What a JSON value is, as the real messages name it: "a string", "null"."""
    for name, tp in (("a boolean", bool), ("an integer", int), ("a decimal", float), ("a string", str),
                     ("an array", list), ("an object", dict)):
        if isinstance(value, tp):
            return name
    return "null"
