"""Contract-shaped answers for validation level ``schema``, as spec mocks such as Prism give them.

At that level only the contract's shapes are checked. When a faithful rule inside an operation would
refuse a request that fits the contract (a range, a model rule, an object's state, an unknown id),
the operation answers instead with a deterministic instance of its response schema.
"""

from __future__ import annotations

from typing import Any

from . import multipart
from .errors import InvalidRequestError, MockAPIError
from .instances import instance
from .jsonutil import loads
from .results import JSON, Binary, Event, Stream

_PLACEHOLDER_AUDIO = b"\x00" * 32


def answer(call: Any, refused: Exception | None = None) -> Any:
    """A deterministic, contract-valid result for ``call`` (JSON, a stream, or bytes).

    ``refused`` is the error the operation raised; when it says the request breaks the contract
    itself (see :func:`contract_error`), it is raised again instead.
    """
    breach = contract_error(call, refused) if refused is not None else None
    if breach is not None:
        raise breach
    op = call.op
    r = call.rng("synthesized")
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("stream") in (True, "true") and op.stream_schema is not None:  # multipart forms send "true"
        event = instance(op.stream_schema, r, hints=hints(call))
        name = event.get("type") if isinstance(event, dict) and op.stream_dialect != "chat" else None
        return Stream([Event(event, name)], dialect=op.stream_dialect or "chat")
    content = op.raw.get("responses", {}).get("200", {}).get("content", {})
    media = next((ct for ct in content if ct != "text/event-stream"), None)
    if op.response_schema is None and media is None:  # the contract names no body: a deletion's plain answer
        found = call.path_params and list(call.path_params.values())[-1]
        return JSON({"id": found or "", "object": "deleted", "deleted": True})
    if op.response_schema is None or _is_binary(media, op.response_schema):  # speech, file content: bytes at every level
        placeholder = b"text" if media == "text/plain" else _PLACEHOLDER_AUDIO
        return Binary([placeholder], media_type=media or "application/octet-stream")
    value = instance(op.response_schema, r, hints=hints(call))
    if isinstance(value, dict) and len(call.path_params) >= 1 and isinstance(value.get("id"), str):
        value["id"] = list(call.path_params.values())[-1]  # the object asked for keeps its id
    return JSON(value)


# Errors that say the request breaks the contract itself (its media type, a field the SDK's types
# require), not a faithful rule: level `schema` keeps them. JSON bodies are checked against the
# contract before the handler runs; multipart forms are read by the handler, so its error tells.
_CONTRACT_CODES = ("invalid_content_type", "invalid_json", "invalid_type")


def contract_error(call: Any, error: Exception) -> Exception | None:
    """The error to give instead of an answer when the request, refused with ``error`` at level ``schema``,
    breaks the contract itself (``error`` or a missing required part), else None."""
    if call.op.request_content in (None, "application/json"):
        return None
    if getattr(error, "code", None) == "invalid_content_type" and _sdk_json_form(call):
        return None
    if getattr(error, "code", None) in _CONTRACT_CODES:
        return error
    required = (call.op.sdk_request_schema or {}).get("required", [])
    if getattr(error, "code", None) == "missing_required_parameter" and getattr(error, "param", None) in required:
        return error
    missing = _missing_parts(call, required)  # a faithful rule (an unknown id) spoke before the form was read
    if missing:
        return InvalidRequestError(f"Missing required parameter: '{missing}'.", param=missing, code="missing_required_parameter")
    return None


def _sdk_json_form(call: Any) -> bool:
    """Whether a multipart operation got what the SDK sends when it has no file to upload: a JSON object.

    The SDK posts a form only when a file is given (``client.skills.create()`` sends ``{}`` as JSON), so
    where its types require no part, that JSON body fits the contract; its fields are checked as a form's.
    """
    schema = call.op.sdk_request_schema or {}
    content_type = call.request.headers.get("content-type", "").split(";")[0].strip().lower()
    if schema.get("required") or content_type != "application/json":
        return False
    try:
        body = loads(call.request.body or b"{}")
    except ValueError:
        return False
    if not isinstance(body, dict) or any(key not in (schema.get("properties") or {}) for key in body):
        return False
    call.engine.contract.validate_request(call.op, body, faithful=False)  # a field of the wrong type: its 400
    return True


class _Discard:
    """A file sink that keeps nothing: only the part's name matters here."""

    def write(self, data: bytes) -> None:
        pass

    def abort(self) -> None:
        pass


def _missing_parts(call: Any, required: list[str]) -> str | None:
    try:
        fields, files = multipart.parse(call.request, lambda *_: _Discard())
    except MockAPIError:
        return None  # unreadable forms are the operation's own error to give
    present = {name.removesuffix("[]") for name, _ in fields} | {part.name.removesuffix("[]") for part in files}
    return next((name for name in required if name not in present), None)


def _is_binary(media: str | None, schema: Any) -> bool:
    if media and not (media == "application/json" or media.endswith("+json")):
        return True
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"


def hints(call: Any) -> dict[str, Any]:
    """What the request asked for, by property name: the instance echoes each value where it fits the schema."""
    body = call.body if isinstance(call.body, dict) else {}
    return {k: v for k, v in body.items() if isinstance(v, (str, int, float, bool)) and k != "stream"}
