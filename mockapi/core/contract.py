"""The contract at run time: routing and request/response validation, all read from openapi.json."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .errors import InvalidRequestError, InvalidValueError, quoted, supported_values
from .paths import contracts_dir
from .routing import RouteIndex, path_pattern
from .schema_errors import format_path, generic_error, to_api_error, wrong_type
from .sdk_view import NULL_MEANS_ABSENT, SDK_REQUIRED, sdk_view  # noqa: F401 - re-exported (contractgen)

if TYPE_CHECKING:  # jsonschema costs ~40 ms to import: loaded when a validator is first built
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError



@dataclass(frozen=True)
class OperationSpec:
    """One operation of the contract; its schemas are looked up (and parsed) on first use."""

    operation_id: str
    method: str
    path: str
    request_content: str | None
    stream_dialect: str | None
    faithful_schema: dict[str, Any] | None
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    schemas: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)  # components.schemas

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The path template as a regex, compiled when a request first reaches it (381 at start-up took ~50 ms)."""
        return path_pattern(self.path)

    def _resolve(self, ref_holder: dict[str, Any] | None) -> dict[str, Any] | None:
        ref = ref_holder.get("$ref", "") if ref_holder else ""
        return self.schemas[ref.rsplit("/", 1)[-1]] if ref else (ref_holder or None)

    def _ok_content(self) -> dict[str, Any]:
        return self.raw.get("responses", {}).get("200", {}).get("content", {})

    @cached_property
    def request_schema(self) -> dict[str, Any] | None:
        """The request body's schema as the real server reads it (level faithful)."""
        media: dict[str, Any] = next(iter(self.raw.get("requestBody", {}).get("content", {}).values()), {})
        return self._resolve(media.get("schema"))

    @cached_property
    def absent_if_null(self) -> frozenset[str]:
        """Top-level fields the server reads as absent when null, where the SDK's types take no null."""
        props = (self.request_schema or {}).get("properties") or {}
        return frozenset(name for name, sub in props.items()
                         if isinstance(sub, dict) and any(isinstance(b, dict) and b.get(NULL_MEANS_ABSENT) for b in sub.get("anyOf", ())))

    def drop_absent_nulls(self, body: dict[str, Any]) -> None:
        """Drop the top-level nulls the real server reads as absent (``"user": null``), so nothing downstream sees them."""
        for name in [k for k, v in body.items() if v is None and k in self.absent_if_null]:
            del body[name]

    @cached_property
    def sdk_request_schema(self) -> dict[str, Any] | None:
        """The request as the SDK's types say it (level schema)."""
        return sdk_view(self.request_schema) if self.request_schema else None

    @cached_property
    def response_schema(self) -> dict[str, Any] | None:
        """The 200 reply's (non-stream) schema."""
        main = next((m for ct, m in self._ok_content().items() if ct != "text/event-stream"), None)
        return self._resolve(main.get("schema")) if main else None

    @cached_property
    def stream_schema(self) -> dict[str, Any] | None:
        """The schema of one stream event, for streaming operations."""
        stream = self._ok_content().get("text/event-stream")
        return self._resolve(stream.get("schema")) if stream else None


class Contract:
    """Operations by path and method, with compiled validators."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document  # components.schemas may be a LazySchemas (mockapi/core/contract_cache.py)
        schemas = document["components"]["schemas"]
        faithful = document.get("x-faithful-rules", {})
        self.operations: list[OperationSpec] = []
        for path, item in document["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                content_type = next(iter(op.get("requestBody", {}).get("content", {})), None)
                stream = op.get("responses", {}).get("200", {}).get("content", {}).get("text/event-stream")
                self.operations.append(OperationSpec(
                    operation_id=op["operationId"], method=method.upper(), path=path,
                    request_content=content_type, stream_dialect=stream.get("x-stream-dialect") if stream else None,
                    faithful_schema=faithful.get(op["operationId"], {}).get("schema"), raw=op, schemas=schemas,
                ))
        # Static paths before templated ones, so `/chat/completions` never matches `{id}`.
        self.operations.sort(key=lambda o: (o.path.count("{"), o.path))
        self.by_id = {o.operation_id: o for o in self.operations}
        # What requests are routed to: every operation, then where older SDKs send some of them (tried last).
        self.routes = self.operations + self._legacy_routes(document.get("x-legacy-routes", []))
        self._routes = RouteIndex(self.routes)

    def _legacy_routes(self, entries: list[dict[str, Any]]) -> list[OperationSpec]:
        """Operations also answered where older SDKs send them (the overlay's ``x-legacy-routes``)."""
        return [replace(self.by_id[e["operation"]], method=e["method"].upper(), path=e["path"]) for e in entries]

    @property
    def document(self) -> dict[str, Any]:
        """The whole contract document as plain JSON values (read from the cache, its schemas are parsed now)."""
        components = self._document.get("components", {})
        if not isinstance(components.get("schemas"), dict):
            components["schemas"] = dict(components["schemas"].items())
        return self._document

    @property
    def stream_dialects(self) -> dict[str, Any]:
        """How each stream dialect ends (``terminator``), by name: read per stream, so cheap."""
        return self._document.get("x-stream-dialects", {})

    @property
    def sdk_version(self) -> str:
        """The openai SDK version the contract was generated from."""
        return str(self._document["info"].get("x-openai-sdk-version"))

    @property
    def sdk_models(self) -> dict[str, list[str]]:
        """Model ids the SDK names, by family."""
        return dict(self._document.get("x-sdk-models", {}))

    def match(self, method: str, path: str) -> tuple[OperationSpec | None, dict[str, str], list[str]]:
        """The operation at ``path`` for ``method``, its path parameters, and the methods the path allows."""
        return self._routes.match(method, path)

    def validate_request(self, op: OperationSpec, body: Any, *, faithful: bool) -> None:
        """Raise a 400 naming the offending parameter when ``body`` breaks the contract.

        At ``faithful`` the request schema says what the real server requires; at ``schema`` its SDK
        view (``x-sdk-required``, no null for absent) says what the SDK's types require.
        """
        if faithful and op.request_schema is not None:
            _raise_first(_validator(op.operation_id, "request", op.request_schema), body)
        elif not faithful and op.sdk_request_schema is not None:
            _raise_first(_validator(op.operation_id, "request-sdk", op.sdk_request_schema), body)
        if faithful and op.faithful_schema is not None:
            _raise_first(_validator(op.operation_id, "faithful", op.faithful_schema), body)

    def response_errors(self, operation_id: str, body: Any, *, stream: bool = False) -> list[str]:
        """Every way a response body (or one stream event) breaks the contract; empty when valid."""
        op = self.by_id[operation_id]
        schema = op.stream_schema if stream else op.response_schema
        if schema is None:
            return []
        validator = _validator(operation_id, "stream" if stream else "response", schema).full
        return [f"{format_path(e.absolute_path) or '<root>'}: {e.message}" for e in validator.iter_errors(body)]


@dataclass(frozen=True)
class _Validators:
    """A compiled validator (speed) when jsonschema-rs is here, and the pure-Python one (error paths), built on first use."""

    schema: dict[str, Any]
    fast: Any = None

    @cached_property
    def full(self) -> Draft202012Validator:
        """The explaining validator: jsonschema is imported only when a body is invalid (or nothing faster exists)."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.schema)


_VALIDATORS: dict[tuple[str, str], _Validators] = {}


def _validator(operation_id: str, kind: str, schema: dict[str, Any]) -> _Validators:
    key = (operation_id, kind)
    found = _VALIDATORS.get(key)
    if found is None:
        # jsonschema-rs (a base dependency where it has a wheel) answers "is it valid?" ~100x faster; the pure
        # validator then runs only for invalid bodies, where its error paths and best_match are needed.
        try:
            import jsonschema_rs
            fast = jsonschema_rs.validator_for(schema)
        except Exception:  # no wheel here, or a schema it can't compile: the pure validator decides alone
            fast = None
        found = _VALIDATORS[key] = _Validators(schema, fast)
    return found


def _raise_first(validators: _Validators, body: Any) -> None:
    """Raise the API error for ``body``'s most relevant schema failure; a valid body costs one yes/no check.

    The explaining search (every error, ``relevance``, the union descent) runs only once a body is
    known to be invalid: by jsonschema-rs, or without it by the pure validator's first-error ``is_valid``.
    """
    if validators.fast.is_valid(body) if validators.fast is not None else validators.full.is_valid(body):
        return
    from jsonschema.exceptions import relevance
    error = max(validators.full.iter_errors(body), key=relevance, default=None)  # unions: _descend picks the branch
    if error is None:
        return
    path = error.absolute_path
    if path and path[0] in validators.full.schema.get("x-generic-errors", ()):
        raise generic_error(path[0])
    raise to_api_error(_descend(error, validators.full.schema))


def _resolved(branch: Any, root: dict[str, Any]) -> Any:
    """A union branch with its local ``$ref`` followed."""
    if isinstance(branch, dict) and str(branch.get("$ref", "")).startswith("#/$defs/"):
        return root.get("$defs", {}).get(branch["$ref"].rsplit("/", 1)[-1], {})
    return branch


def _pinned(branch: Any, value: Any, root: dict[str, Any]) -> int:
    """How many properties ``branch`` pins to one value (``const``, a one-value ``enum``) that ``value`` has."""
    branch = _resolved(branch, root)
    if not isinstance(branch, dict) or not isinstance(value, dict):
        return 0
    count = 0
    for name, prop in branch.get("properties", {}).items():
        if not isinstance(prop, dict) or name not in value:
            continue
        pinned = [prop["const"]] if "const" in prop else prop.get("enum") or []
        count += len(pinned) == 1 and value[name] == pinned[0]
    return count


def _declares(branch: Any, name: Any, root: dict[str, Any]) -> bool:
    """Whether a union branch declares property ``name`` (a branch that lists no properties takes any)."""
    branch = _resolved(branch, root)
    if not isinstance(branch, dict) or "properties" not in branch:
        return True
    return name in branch["properties"]


def _descend(error: ValidationError, root: dict[str, Any]) -> ValidationError | InvalidRequestError:
    """Follow an ``anyOf`` failure into the branch the value was meant for.

    Message unions are told apart by a constant property (``role``, ``type``): the branch
    whose constant matches is the one the caller meant, so its error is the useful one; among
    several, the one pinning the most of the value's properties, then the one with fewest errors.
    """
    from jsonschema.exceptions import best_match, relevance
    while error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        if isinstance(error.instance, dict):
            def mismatched(errs: list[ValidationError]) -> list[ValidationError]:
                return [e for e in errs if e.validator in ("const", "enum") and len(e.relative_path) == 1]

            typed = {b: errs for b, errs in branches.items()
                     if not any(e.validator == "type" and not e.relative_path for e in errs)}
            meant = [b for b, errs in typed.items() if not mismatched(errs)]
            options = error.validator_value if isinstance(error.validator_value, list) else []
            branch_of = {b: options[b] if isinstance(b, int) and b < len(options) else {} for b in branches}

            wrong = [e for errs in typed.values() for e in mismatched(errs)]
            # A discriminator (``role: "robot"``) that only mismatching branches declare is the mistake,
            # not the fields some unrelated branch would also want.
            undeclared = [e for e in wrong if not any(_declares(branch_of[b], e.relative_path[0], root) for b in meant)]
            if meant and not undeclared:
                # The most of the value's properties pinned, then the fewest errors.
                closeness = {b: (-_pinned(branch_of[b], error.instance, root), len(branches[b])) for b in meant}
                chosen = branches[min(meant, key=closeness.__getitem__)]
                nested = max(chosen, key=relevance)
                # A union of objects inside the chosen branch (content parts) is told apart the same way;
                # anything else is best_match's to pick.
                error = nested if nested.validator in ("anyOf", "oneOf") and isinstance(nested.instance, dict) else best_match(chosen)
                continue
            if wrong:
                key = (undeclared or wrong)[0].relative_path[0]
                allowed: list[Any] = []
                for e in wrong:
                    if e.relative_path[0] == key:
                        values = e.validator_value if e.validator == "enum" else [e.validator_value]
                        allowed += [v for v in values if v not in allowed]
                param = format_path([*error.absolute_path, key])
                value = error.instance.get(key)
                return InvalidValueError(f"Invalid value: {quoted(value)}. Supported values are: {supported_values(allowed)}.",
                                         param=param)
        types = [e for e in error.context if e.validator == "type" and not e.relative_path]
        if len(types) == len(branches):
            expected: list[str] = []
            for e in types:
                for t in (e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]):
                    if t not in expected:
                        expected.append(t)
            return wrong_type(format_path(error.absolute_path), expected, error.instance)
        fitting = [errs for errs in branches.values() if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) == 1:  # one branch takes this kind of value (an array, not a string): follow it
            error = max(fitting[0], key=relevance)
            continue
        error = best_match(error.context)
    return error


@lru_cache(maxsize=4)
def load_contract(path: Path | None = None) -> Contract:
    """The contract document, parsed once per process."""
    from .contract_cache import read_document
    from .speedups import log_fallbacks_once

    log_fallbacks_once()  # every door loads the contract at start-up: the one place to say what runs slow
    return Contract(read_document(path or contracts_dir() / "openapi.json"))
