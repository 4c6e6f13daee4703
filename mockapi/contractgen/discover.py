"""Find every HTTP operation of the installed ``openai`` SDK by reading its resource classes.

The SDK's client is a tree of resources (``client.beta.chatkit.sessions``); each public method of a
sync resource ends in one ``self._get/_post/_delete/_get_api_list(path, body=maybe_transform(...,
Params), options=make_request_options(query=maybe_transform(..., QueryParams)), cast_to=Model,
page=SyncCursorPage[Model], stream_cls=Stream[Event], files=...)`` call. The method's source is
parsed with :mod:`ast` (nothing is called, nothing is guessed from names) and each call becomes a
:class:`Found` operation: method, path template, body and query types, response type, list page,
stream event type and whether the body is multipart.

Operation ids: the verb is the SDK method name, the nouns are its resource path, without the
namespace segments ``beta`` and ``admin``, in camel case, with the last resource singular unless
the verb is ``list`` or starts with ``list_`` (``beta.chatkit.sessions.create`` -> ``createChatkitSession``,
``fine_tuning.jobs.list_events`` -> ``listEventsFineTuningJobs``, ``batches.list`` -> ``listBatches``).
Two SDK methods that would share an id on different routes get the route appended (``...AtBatchesCancel``).
Hand-written ``ops_*`` entries keep their own ids (``submitToolOuputsToRun`` and all).
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Iterator

_HTTP = {"_get": "GET", "_post": "POST", "_delete": "DELETE", "_put": "PUT", "_patch": "PATCH", "_get_api_list": "GET"}
_NAMESPACES = {"beta", "admin"}
_SKIP_ATTRS = {"with_raw_response", "with_streaming_response"}


@dataclass(frozen=True)
class Found:
    """One operation as the SDK's source says it."""

    sdk_path: str  # "beta.chatkit.sessions.create"
    method: str
    path: str
    request: str | None  # "module:Name" of the body TypedDict
    multipart: bool
    query: str | None  # "module:Name" of the query TypedDict
    response: str | None  # "module:Name" of the model (or alias) cast_to / page names
    page: str | None  # "SyncCursorPage", ... when the answer is a list page
    binary: bool  # the answer is bytes (HttpxBinaryResponseContent)
    text: bool  # the answer is plain text (cast_to=str)
    stream_event: str | None
    security: str  # "bearer_auth" or "admin_api_key_auth"

    @property
    def operation_id(self) -> str:
        """The readable, stable operationId (see the module docstring for the rule)."""
        return operation_id(self.sdk_path)


def operation_id(sdk_path: str) -> str:
    """``beta.chatkit.sessions.create`` -> ``createChatkitSession`` (see the module docstring)."""
    *resources, verb = sdk_path.split(".")
    nouns = [r for r in resources if r not in _NAMESPACES] or resources
    if verb != "list" and not verb.startswith("list_") and nouns:
        nouns = [*nouns[:-1], singular(nouns[-1])]
    return _camel(verb, lower_first=True) + "".join(_camel(n) for n in nouns)


def singular(word: str) -> str:
    """A resource name in the singular (``batches`` -> ``batch``, ``policies`` -> ``policy``)."""
    for plural, single in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x")):
        if word.endswith(plural):
            return word[: -len(plural)] + single
    if word.endswith("s") and not word.endswith("ss") and word not in ("status", "canvas", "analysis"):
        return word[:-1]
    return word


def _camel(name: str, lower_first: bool = False) -> str:
    text = "".join(p[:1].upper() + p[1:] for p in name.split("_") if p)
    return text[:1].lower() + text[1:] if lower_first else text


def resources() -> Iterator[tuple[str, Any]]:
    """(dotted resource path, sync resource instance) for every resource reachable from ``openai.OpenAI``."""
    import openai
    from openai._resource import SyncAPIResource

    client = openai.OpenAI(api_key="sk-discovery", base_url="http://discovery.invalid/v1")
    seen: set[type] = set()

    def walk(prefix: str, owner: Any) -> Iterator[tuple[str, Any]]:
        # Namespaces last: client.beta.chat.completions is the same class as client.chat.completions.
        for name in sorted(dir(type(owner)), key=lambda n: (n in _NAMESPACES, n)):
            if name.startswith("_") or name in _SKIP_ATTRS:
                continue
            attr = inspect.getattr_static(type(owner), name)
            if not hasattr(attr, "func") and not isinstance(attr, property):
                continue  # resources hang off cached properties
            try:
                value = getattr(owner, name)
            except Exception:  # noqa: BLE001 - a property that needs more than a bare client
                continue
            if isinstance(value, SyncAPIResource) and type(value) not in seen:
                seen.add(type(value))
                path = f"{prefix}.{name}" if prefix else name
                yield path, value
                yield from walk(path, value)

    yield from walk("", client)


def discover() -> list[Found]:
    """Every HTTP operation of every sync resource, in resource order."""
    from openai._resource import SyncAPIResource

    found: list[Found] = []
    for path, resource in resources():
        methods: dict[str, tuple[ast.FunctionDef, Any]] = {}
        # Base classes first: a resource may extend the generated one (client.webhooks adds unwrap()).
        for klass in reversed(type(resource).__mro__):
            if not issubclass(klass, SyncAPIResource) or klass is SyncAPIResource:
                continue
            module = inspect.getmodule(klass)
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
            for node in tree.body[0].body:  # type: ignore[attr-defined]
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    methods[node.name] = (node, module)  # the last definition wins: the implementation after its @overloads
        for name, (fn, module) in methods.items():
            for call in _http_calls(fn):
                op = _read_call(f"{path}.{name}", call, module)
                if op is not None:
                    found.append(op)
    return found


def _http_calls(fn: ast.FunctionDef) -> Iterator[ast.Call]:
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _HTTP
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
            yield node


def _read_call(sdk_path: str, call: ast.Call, module: Any) -> Found | None:
    method = _HTTP[call.func.attr]  # type: ignore[attr-defined]
    path = _path(call.args[0]) if call.args else None
    if path is None:
        return None
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    if isinstance(kw.get("method"), ast.Constant):  # _get_api_list(..., method="post"): a search answering a page
        method = str(kw["method"].value).upper()
    request = _transform_type(kw.get("body"), module)
    options = kw.get("options")
    query = security = None
    if isinstance(options, ast.Call):
        okw = {k.arg: k.value for k in options.keywords if k.arg}
        query = _transform_type(okw.get("query"), module)
        sec = okw.get("security")
        if isinstance(sec, ast.Dict) and sec.keys and isinstance(sec.keys[0], ast.Constant):
            security = sec.keys[0].value
    response = page = stream = None
    binary = text = False
    cast_to = kw.get("cast_to")
    if isinstance(cast_to, ast.Call) and isinstance(cast_to.func, ast.Name) and cast_to.func.id == "cast" and len(cast_to.args) == 2:
        cast_to = cast_to.args[1]  # cast(Any, Model): the model is the second argument
    if cast_to is not None:
        source = ast.unparse(cast_to)
        if source.endswith("HttpxBinaryResponseContent"):
            binary = True
        elif source == "str":
            text = True
        elif source not in ("NoneType", "object"):
            response = _dotted(cast_to, module)
    if isinstance(kw.get("page"), ast.Subscript):
        sub = kw["page"]
        page = ast.unparse(sub.value)  # type: ignore[attr-defined]
        response = _dotted(sub.slice, module)  # type: ignore[attr-defined]
    if isinstance(kw.get("stream_cls"), ast.Subscript):
        stream = _dotted(kw["stream_cls"].slice, module)  # type: ignore[attr-defined]
    return Found(sdk_path, method, path, request, "files" in kw, query, response, page, binary, text, stream,
                 security or "bearer_auth")


def _path(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "path_template" and node.args:
        return _path(node.args[0])
    if isinstance(node, ast.JoinedStr):  # f"/files/{file_id}"
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("{" + re.sub(r"\W", "_", ast.unparse(value.value)) + "}")  # type: ignore[attr-defined]
        return "".join(parts)
    return None


def _transform_type(node: ast.AST | None, module: Any) -> str | None:
    """The params type of ``maybe_transform(value, module.Params)``, as ``module:Name``."""
    if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("maybe_transform") and len(node.args) == 2:
        kind = node.args[1]
        if isinstance(kind, ast.IfExp):  # `XStreaming if stream else XNonStreaming`: their shared `XBase`
            kind = _shared_base(kind, module) or kind.body
        return _dotted(kind, module, prefer_base=True)
    return None


def _shared_base(choice: ast.IfExp, module: Any) -> ast.AST | None:
    """``m.XBase`` for ``m.XStreaming if stream else m.XNonStreaming``, when the SDK defines it."""
    one, other = ast.unparse(choice.body), ast.unparse(choice.orelse)
    stem = one[:len(os.path.commonprefix([one, other]))].removesuffix("Non").removesuffix("Streaming")
    try:
        base = ast.parse(f"{stem}Base", mode="eval").body
    except SyntaxError:
        return None
    return base if _dotted(base, module) else None


def _dotted(node: ast.AST, module: Any, prefer_base: bool = False) -> str | None:
    """Where the type an expression names lives, as ``module:Name`` (``_load`` reads it back)."""
    import importlib

    source = ast.unparse(node)
    obj: Any = module
    for part in source.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    owner_name, _, attr = source.rpartition(".")
    owner = module if not owner_name else eval(owner_name, vars(module))  # noqa: S307 - a dotted name from the SDK's own source
    owner_module = owner.__name__ if inspect.ismodule(owner) else module.__name__
    if prefer_base and hasattr(importlib.import_module(owner_module), f"{attr}Base"):
        attr = f"{attr}Base"  # a streaming/non-streaming params union: its shared base names every field
    if isinstance(obj, type) and getattr(obj, "__module__", "").startswith("openai") and not prefer_base:
        return f"{obj.__module__}:{obj.__qualname__}"
    return f"{owner_module}:{attr}"
