"""The operation record the ``ops_*`` lists and discovery share, and how SDK types become JSON Schema."""

from __future__ import annotations

import importlib
import typing
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    """One HTTP operation and the SDK types that define its shapes."""

    operation_id: str
    method: str
    path: str
    summary: str
    tag: str
    request: str | None = None  # "module:Name" of a TypedDict or model
    request_content: str = "application/json"
    response: str | None = None  # "module:Name" of a pydantic model, or a type alias
    response_list: bool = False  # the response is a list page of `response`
    response_content: str = "application/json"
    stream_event: str | None = None  # "module:Name" of the SSE event type
    stream_dialect: str | None = None  # "chat" | "responses" | "assistants"
    query: tuple[tuple[str, dict[str, Any]], ...] = ()
    stateful: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # (JSON pointer, schema) replacements in the response schema, where the real API and the SDK's
    # types disagree; each use says why.
    response_patches: tuple[tuple[str, dict[str, Any]], ...] = ()
    # "module:Name" of the params type of a beta SDK method posting to the same route
    # (``client.beta.responses.create``): the body may carry its extra top-level fields too.
    beta_request: str | None = None


def _load(dotted: str) -> Any:
    module, _, name = dotted.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _json_schema(tp: Any, mode: str) -> dict[str, Any]:
    from pydantic import BaseModel, TypeAdapter

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.model_json_schema(mode=mode)  # type: ignore[arg-type]
    return TypeAdapter(_uploads_as_binary(tp)).json_schema(mode=mode)  # type: ignore[arg-type]


def _uploads_as_binary(tp: Any) -> Any:
    """A multipart TypedDict with its upload fields (the SDK's ``FileTypes``) typed as ``bytes``.

    pydantic cannot describe ``IO[bytes]``; on the wire an upload is a binary string anyway.
    """
    import os

    from typing_extensions import Required, TypedDict, is_typeddict

    if typing.get_origin(tp) is typing.Union:  # a union of forms (e.g. an upload or a prompt)
        return typing.Union[tuple(_uploads_as_binary(arg) for arg in typing.get_args(tp))]
    if not is_typeddict(tp):
        return tp
    hints = typing.get_type_hints(tp, include_extras=True)
    if not any("IO[" in repr(h) for h in hints.values()):
        return tp

    def swap(hint: Any) -> Any:
        if "IO[" not in repr(hint):
            return hint
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is Required:
            return Required[swap(args[0])]
        if origin is typing.Union:  # FileTypes flattened into a union: keep one binary branch per shape
            kept: list[Any] = []
            for arg in args:
                if arg is os.PathLike or typing.get_origin(arg) in (tuple, os.PathLike):
                    continue  # paths and (filename, content, ...) tuples are the same upload on the wire
                swapped = swap(arg)
                if swapped not in kept:
                    kept.append(swapped)
            return typing.Union[tuple(kept)] if len(kept) > 1 else kept[0]
        if origin is None or "IO" in repr(origin):
            return bytes
        return list[swap(args[0])]  # a sequence of uploads (e.g. several images)

    fields = {k: swap(v) for k, v in hints.items()}
    return TypedDict(tp.__name__, fields, total=False)  # type: ignore[operator]




def streams(dotted: str | None) -> bool:
    """Whether the params type ``module:XBase`` has a ``module:XStreaming`` form (the body may say ``stream``)."""
    if not dotted or not dotted.endswith("Base"):
        return False
    module, _, name = dotted.partition(":")
    streaming = getattr(importlib.import_module(module), name.removesuffix("Base") + "Streaming", None)
    return streaming is not None and "stream" in typing.get_type_hints(streaming)


def lend_beta_fields(schema: dict[str, Any], dotted: str) -> None:
    """Add to a request ``schema`` the top-level fields only the beta params type ``dotted`` has, with their ``$defs``.

    Fields the SDK sends as headers (``betas``, aliased ``openai-beta``) are no body fields and stay out.
    """
    from openai._utils import PropertyInfo

    tp = _load(dotted)
    headers = {name for name, hint in typing.get_type_hints(tp, include_extras=True).items()
               if any(isinstance(m, PropertyInfo) and (m.alias or "").startswith("openai-") for m in getattr(hint, "__metadata__", ()))}
    beta = _json_schema(tp, "validation")
    props = schema.setdefault("properties", {})
    defs = schema.setdefault("$defs", {})
    wanted = [name for name in beta.get("properties", {}) if name not in props and name not in headers]
    for name in wanted:
        props[name] = beta["properties"][name]
    pending = [ref for name in wanted for ref in _refs(props[name])]
    while pending:
        ref = pending.pop()
        if ref in defs:
            if defs[ref] != beta["$defs"][ref]:
                raise ValueError(f"{dotted} lends a $defs.{ref} that differs from the request's own")
            continue
        defs[ref] = beta["$defs"][ref]
        pending.extend(_refs(defs[ref]))
    if not defs:
        del schema["$defs"]


def _refs(node: Any) -> list[str]:
    """The ``#/$defs/X`` names ``node`` refers to."""
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    if not isinstance(node, dict):
        return []
    ref = node.get("$ref")
    own = [ref.rsplit("/", 1)[-1]] if isinstance(ref, str) and ref.startswith("#/$defs/") else []
    return own + [r for value in node.values() for r in _refs(value)]
