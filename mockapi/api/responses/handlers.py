"""The Responses API: create (JSON or stream), retrieve (or replay), delete, cancel, and input items."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.errors import InvalidRequestError
from mockapi.core.pagination import paginate
from mockapi.core.results import Event, Stream

from . import compaction, service
from .explain import explain
from .state import State


def _stream(events: list[dict[str, Any]], tokens: int = 0) -> Stream:
    return Stream([Event(e, e["type"]) for e in events], dialect="responses", tokens=tokens)


def create_response(call: Call) -> Any:
    """``POST /v1/responses``."""
    created = service.create(call)
    call.charged_tokens = created.tokens
    if created.events is not None:
        # The usage its response.completed reports: the usage recorder counts it without reading the frames back.
        call.meta["usage"] = created.body.get("usage")
        return _stream(created.events, created.tokens)
    return created.body


def get_response(call: Call) -> Any:
    """``GET /v1/responses/{id}``; with ``stream=true`` the stored response's events (after ``starting_after``)."""
    state = State(call.store, call.tenant)
    body: dict[str, Any] = service.current(call, state, call.path_params["response_id"])
    if _flag(call.query.get("stream"), "stream") is not True:
        return body
    record = state.require(body["id"])
    if record.get("final") is not None and body["status"] in ("queued", "in_progress"):
        body = record["final"]  # streaming a background response waits for it to finish
        state.save({**record, "response": body})
    after = call.query.get("starting_after")
    if after and not after.lstrip("-").isdigit():
        raise InvalidRequestError("Invalid type for 'starting_after': expected an integer, but got a string instead.",
                                  param="starting_after", code="invalid_type")
    obfuscated = _flag(call.query.get("include_obfuscation"), "include_obfuscation") is not False
    return _stream(service.replay(call, body, int(after) if after else None, obfuscated=obfuscated))


def _flag(value: str | None, param: str) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1", "false", "0"):
        return value.lower() in ("true", "1")
    raise InvalidRequestError(f"Invalid type for '{param}': expected a boolean, but got a string instead.", param=param, code="invalid_type")


def delete_response(call: Call) -> dict[str, Any]:
    """``DELETE /v1/responses/{id}``."""
    state = State(call.store, call.tenant)
    found = state.require(call.path_params["response_id"])
    state.forget(found["response"]["id"])
    return {"id": found["response"]["id"], "object": "response.deleted", "deleted": True}


def cancel_response(call: Call) -> dict[str, Any]:
    """``POST /v1/responses/{id}/cancel``."""
    return service.cancel(call, State(call.store, call.tenant), call.path_params["response_id"])


def list_input_items(call: Call) -> dict[str, Any]:
    """``GET /v1/responses/{id}/input_items``: this response's input, newest first by default."""
    record = State(call.store, call.tenant).require(call.path_params["response_id"])
    return paginate(record["input_items"], call.query, default_order="desc", cursor_kind="item")


def compact_response(call: Call) -> dict[str, Any]:
    """``POST /v1/responses/compact``."""
    call.model()
    return compaction.compact(State(call.store, call.tenant), call.body, call.id_digest(), call.clock.timestamp())


def get_input_token_counts(call: Call) -> dict[str, Any]:
    """``POST /v1/responses/input_tokens``."""
    if call.body.get("model"):
        call.model()
    return compaction.input_tokens(State(call.store, call.tenant), call.body)


HANDLERS = {
    "compactResponse": compact_response,
    "getInputTokenCounts": get_input_token_counts,
    "createResponse": create_response,
    "getResponse": get_response,
    "deleteResponse": delete_response,
    "cancelResponse": cancel_response,
    "listInputItems": list_input_items,
}
EXPLAIN = {"createResponse": explain}
