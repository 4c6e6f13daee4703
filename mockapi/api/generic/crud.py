"""Generic stateful resources: create, retrieve, update, list and delete driven by the contract's shapes.

An object is a deterministic instance of the create answer's schema (:mod:`mockapi.core.instances`)
with the real id prefix, a ``created_at`` from the mock clock and the request's fields that the answer
has (each only where it fits the schema). Unknown ids are the real 404 at ``faithful``; at ``schema``
the engine answers a contract-shaped stand-in instead, as for every operation.
"""

from __future__ import annotations

import re
from typing import Any

from mockapi.core import synthesize
from mockapi.core.errors import NotFoundError, PayloadTooLargeError
from mockapi.core.forms import parse_form, typed_fields
from mockapi.core.instances import instance
from mockapi.core.jsonutil import loads
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, public
from mockapi.core.results import JSON, Binary

from .classify import (
    ACTION,
    CREATE,
    DELETE,
    LIST,
    RETRIEVE,
    UPDATE,
    Shape,
    classify,
    collections,
    store_kind,
)
from .prefixes import prefix_for

# An action's verb -> the status it leaves the object in, when its schema has that status.
_ACTION_STATUS = {
    "cancel": ("cancelled", "cancelling"),
    "pause": ("paused",),
    "resume": ("running", "in_progress", "active"),
    "archive": ("archived",),
    "activate": ("active",),
    "deactivate": ("inactive",),
    "complete": ("completed",),
}
_TIME_FIELDS = ("created_at", "created", "updated_at")


def created_collections(contract: Any, exclude: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The collection templates (``/containers/{}/files``) some generic create of ``contract`` makes objects in
    (``exclude``: operationIds with handlers of their own, whose objects live in their own store)."""
    known = collections(contract)
    return {template(s.collection) for op in contract.operations if op.operation_id not in exclude
            for s in [classify(op, known)] if s.kind == CREATE}


def template(collection: str) -> str:
    """A collection path without its parameter names."""
    return re.sub(r"\{\w+\}", "{}", collection)


def handler_for(op: Any, creating: set[str], known: set[str], never: set[str] = frozenset()) -> Any:  # type: ignore[assignment]
    """The generic handler of one contract operation, by its :func:`classify` shape.

    ``creating``: the collections whose objects generic creates make, so their ids can be checked: a path
    naming an object of one (the item or a parent) that was never made is the real 404 at ``faithful``;
    ``never``: collections no operation creates objects in, so a parent there is unknown at ``faithful`` too.
    """
    shape = classify(op, known)
    creates = template(shape.collection) in creating
    owners = _owners(op.path, creating | never)
    unmakeable = {c for c, _ in owners if template(c) in never}

    def handle(call: Any) -> Any:
        if call.body is None and str(call.op.request_content or "").startswith("multipart/"):
            call.body = _form(call)
        _require_parents(call, owners, shape, unmakeable)
        return _HANDLERS[shape.kind](call, shape, creates)

    handle.__name__ = f"generic_{shape.kind}"
    handle.generic_kind = shape.kind  # type: ignore[attr-defined]  # COVERAGE.md names it
    return handle


def _owners(path: str, creating: set[str]) -> list[tuple[str, str]]:
    """(collection, id parameter) of each generic collection a path names an object of, outermost first."""
    found = []
    for m in re.finditer(r"\{(\w+)\}", path):
        collection = path[: m.start() - 1]
        if template(collection) in creating:
            found.append((collection, m.group(1)))
    return found


def _require_parents(call: Any, owners: list[tuple[str, str]], shape: Shape, unmakeable: set[str]) -> None:
    """404 for a parent object (``/containers/{id}/files``) no generic create made."""
    repo = Repo(call)
    for collection, param in owners:
        if param == shape.id_param:
            continue  # the operation's own object: its handler says how it is missing
        kind = store_kind(collection, call.path_params, param)
        if collection in unmakeable or repo.get(kind, call.path_params[param]) is None:
            from .classify import singular

            noun = singular(collection.rsplit("/", 1)[-1]).replace("_", " ")
            raise NotFoundError(f"No {noun} found with id '{call.path_params[param]}'.", param=param)


_UPLOAD_LIMIT = 512 * 1024 * 1024  # the Files API's limit per upload


def _form(call: Any) -> dict[str, Any]:
    """A multipart request's text fields, typed as the operation's schema names them (uploads are not echoed).

    Without a file the SDK sends such a form as JSON (``containers.files.create(file_id=...)``)."""
    raw = (call.request.body or b"").lstrip()
    if raw.startswith(b"{"):
        try:
            body = loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict):
            return body
    form = parse_form(call.request, _UPLOAD_LIMIT, lambda upload: PayloadTooLargeError(
        f"File '{upload.filename}' is too large: the limit is {_UPLOAD_LIMIT} bytes."))
    return typed_fields(form.fields, call.op.request_schema or {})


def _noun(shape: Shape) -> str:
    from .classify import singular

    return singular(shape.collection.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")


def _fits(value: Any, sub: dict[str, Any], root: dict[str, Any]) -> bool:
    from jsonschema import Draft202012Validator

    try:
        return Draft202012Validator({**sub, "$defs": root.get("$defs", {})}).is_valid(value)
    except Exception:  # noqa: BLE001 - a schema the validator can't read: keep the made-up value
        return False


def _merge(obj: dict[str, Any], body: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """``obj`` with each request field that the answer's schema has, where the value fits it."""
    props = schema.get("properties") or {}
    for key, value in (body or {}).items() if isinstance(body, dict) else ():
        if key in props and key != "id" and _fits(value, props[key], schema):
            obj[key] = value
    return obj


def _create(call: Any, shape: Shape, creates: bool) -> Any:
    repo, schema = Repo(call), call.op.response_schema
    obj = instance(schema, call.rng("generic-create"), hints=synthesize.hints(call))
    obj["id"] = repo.new_id(prefix_for(shape.collection, schema), store_kind(shape.collection, call.path_params))
    if _free_string((schema.get("properties") or {}).get("object")):
        obj["object"] = _noun(shape).replace(" ", "_")  # the SDK types some objects' `object` as any string
    for field in _TIME_FIELDS:
        if isinstance(obj.get(field), int):
            obj[field] = repo.now()
    _merge(obj, call.body, schema)
    return JSON(public(repo.put(store_kind(shape.collection, call.path_params), obj)))


def _require(call: Any, shape: Shape) -> tuple[Repo, str, dict[str, Any]]:
    repo = Repo(call)
    kind = store_kind(shape.collection, call.path_params, shape.id_param)
    object_id = call.path_params[shape.id_param]
    found = repo.get(kind, object_id)
    if found is None:
        raise NotFoundError(f"No {_noun(shape)} found with id '{object_id}'.", param=shape.id_param)
    return repo, kind, found


def _unknown(call: Any, shape: Shape) -> NotFoundError:
    """An object no call made: the real API's 404 (at ``schema`` the engine answers a stand-in instead)."""
    return NotFoundError(f"No {_noun(shape)} found with id '{call.path_params[shape.id_param]}'.", param=shape.id_param)


def _retrieve(call: Any, shape: Shape, creates: bool) -> Any:
    if not creates:
        raise _unknown(call, shape)  # nothing here is made by a call the mock serves generically
    return JSON(public(_require(call, shape)[2]))


def _update(call: Any, shape: Shape, creates: bool) -> Any:
    if not creates:
        raise _unknown(call, shape)
    repo, kind, found = _require(call, shape)
    merged = _merge(found, call.body, call.op.response_schema or {})
    return JSON(public(repo.put(kind, merged)))


def _list(call: Any, shape: Shape, creates: bool) -> Any:
    repo = Repo(call)
    items = [public(o) for o in repo.list(store_kind(shape.collection, call.path_params))]
    if not items and not creates and not call.faithful:
        return synthesize.answer(call)  # level schema: a contract-shaped page; faithful: nothing was made, so none
    page = paginate(items, call.query)
    page_object = _object_of(call.op.response_schema or {}, {"object": "list"})  # "list", or "page" (usage, costs)
    return JSON({**page, "object": page_object if isinstance(page_object, str) else "list"})


def _delete(call: Any, shape: Shape, creates: bool) -> Any:
    if not creates:
        raise _unknown(call, shape)
    repo, kind, found = _require(call, shape)
    repo.delete(kind, found["id"])
    schema = call.op.response_schema
    if schema is None:  # the SDK reads no body; the API still says what it deleted
        return JSON({"id": found["id"], "object": f"{found.get('object') or _noun(shape).replace(' ', '_')}.deleted", "deleted": True})
    deleted = instance(schema, call.rng("generic-delete"))
    props = schema.get("properties") or {}
    if isinstance(deleted, dict):
        noun_id = _noun(shape).replace(" ", "_") + "_id"
        deleted.update({k: v for k, v in (("id", found["id"]), (noun_id, found["id"]), ("deleted", True)) if k in props})
        if _free_string(props.get("object")):
            deleted["object"] = f"{found.get('object') or _noun(shape).replace(' ', '_')}.deleted"
    return JSON(deleted)


def _free_string(prop: Any) -> bool:
    return isinstance(prop, dict) and prop.get("type") == "string" and not ({"enum", "const", "pattern"} & set(prop))


def _action(call: Any, shape: Shape, creates: bool) -> Any:
    if shape.id_param and not creates:
        raise _unknown(call, shape)  # an object of a collection nothing here makes: unknown at faithful
    if creates and shape.id_param and shape.verb:
        kind = store_kind(shape.collection, call.path_params, shape.id_param)
        repo, found = Repo(call), None
        found = repo.get(kind, call.path_params[shape.id_param])
        if found is None:
            raise NotFoundError(f"No {_noun(shape)} found with id '{call.path_params[shape.id_param]}'.", param=shape.id_param)
        schema = call.op.response_schema or {}
        if (schema.get("properties") or {}).keys() >= {"id"} and found.get("object") == _object_of(schema, found):
            status = (schema.get("properties") or {}).get("status") or {}
            allowed = _enum_values(status, schema)
            for value in _ACTION_STATUS.get(shape.verb, ()):
                if value in allowed:
                    found["status"] = value
                    break
            return JSON(public(repo.put(kind, found)))
    return _empty_or_synthesized(call)


def _object_of(schema: dict[str, Any], found: dict[str, Any]) -> Any:
    obj = (schema.get("properties") or {}).get("object") or {}
    return obj.get("const", (obj.get("enum") or [found.get("object")])[0])


def _enum_values(node: dict[str, Any], root: dict[str, Any]) -> list[Any]:
    if "$ref" in node:
        node = root.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
    values = list(node.get("enum") or [])
    for branch in node.get("anyOf") or []:
        values += _enum_values(branch, root)
    return values


def _empty_or_synthesized(call: Any) -> Any:
    """A contract-shaped answer; an empty 200 where the contract names no body (the SDK reads none)."""
    content = call.op.raw.get("responses", {}).get("200", {}).get("content")
    if not content:
        return Binary([b""], media_type="application/json")
    return synthesize.answer(call)


_HANDLERS = {CREATE: _create, RETRIEVE: _retrieve, UPDATE: _update, LIST: _list, DELETE: _delete, ACTION: _action}
