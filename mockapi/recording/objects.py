"""Stateful objects an upstream created, registered in the mock's store when their creation is replayed.

So a follow-up the recording never saw (retrieve the file, continue the response with
``previous_response_id``, attach files to the vector store) works offline against the mock's own handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockapi.api.responses.state import State

from .fixture import Fixture
from .replay import stream_data

if TYPE_CHECKING:
    from mockapi.core.engine import Call

# The ``object`` of a replayed body -> the store kind the mock's handlers read it from.
SIMPLE_KINDS = {"file": "file", "vector_store": "vector_store"}


def register(call: Call, fixture: Fixture) -> list[str]:
    """Put the objects of a replayed 2xx answer in the caller's store; their ids."""
    if fixture.status >= 300:
        return []
    bodies = [fixture.response["body"]] if "body" in fixture.response else _stream_objects(fixture)
    registered = []
    for body in bodies:
        if isinstance(body, dict) and isinstance(body.get("id"), str) and _register_one(call, body):
            registered.append(body["id"])
    return registered


def _stream_objects(fixture: Fixture) -> list[Any]:
    """The final object of a recorded stream: a Responses stream's ``response.completed`` response."""
    for data in reversed(stream_data(fixture.response.get("stream", []))):
        if isinstance(data, dict) and data.get("type") in ("response.completed", "response.incomplete", "response.failed"):
            return [data.get("response")]
    return []


def _register_one(call: Call, body: dict[str, Any]) -> bool:
    kind = body.get("object")
    if body.get("deleted") is True and kind in SIMPLE_KINDS:
        call.store.delete(call.tenant, SIMPLE_KINDS[kind], body["id"])
        return False
    if kind in SIMPLE_KINDS:
        call.store.put(call.tenant, SIMPLE_KINDS[kind], body["id"], dict(body))
        return True
    if kind == "response" and body.get("store", True) is not False:
        parent = call.body.get("previous_response_id") if isinstance(call.body, dict) else None
        State(call.store, call.tenant).save({"response": dict(body), "input_items": _input_items(call), "parent": parent})
        return True
    return False


def _input_items(call: Call) -> list[dict[str, Any]]:
    """The request's input as stored items (a follow-up's chain sees this turn's input too)."""
    body = call.body if isinstance(call.body, dict) else {}
    given = body.get("input")
    if isinstance(given, str):
        given = [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": given}]}]
    if not isinstance(given, list):
        return []
    items = []
    for n, item in enumerate(given):
        if isinstance(item, dict):
            items.append({"id": item.get("id") or f"msg_replayed_{call.digest()[:16]}_{n}", **item})
    return items
