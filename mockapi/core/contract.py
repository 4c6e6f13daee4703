"""The contract at run time: routing and request/response validation, all read from openapi.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance

from .errors import InvalidRequestError, InvalidValueError, UnknownParameterError
from .paths import contracts_dir

# Contract keywords written by contractgen: the SDK's own required list (enforced at level schema), and
# the null branch of an optional field, which the server reads as absent.
SDK_REQUIRED = "x-sdk-required"
NULL_MEANS_ABSENT = "x-null-means-absent"


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the contract."""

    operation_id: str
    method: str
    path: str
    pattern: re.Pattern[str]
    request_schema: dict[str, Any] | None
    request_content: str | None
    response_schema: dict[str, Any] | None
    stream_schema: dict[str, Any] | None
    stream_dialect: str | None
    faithful_schema: dict[str, Any] | None
    sdk_request_schema: dict[str, Any] | None = None  # the request as the SDK's types say it (level schema)
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"({\w+})", template)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


class Contract:
    """Operations by path and method, with compiled validators."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        schemas = document["components"]["schemas"]
        faithful = document.get("x-faithful-rules", {})

        local: dict[str, dict[str, Any]] = {}

        def resolve(ref_holder: dict[str, Any] | None) -> dict[str, Any] | None:
            if not ref_holder:
                return None
            ref = ref_holder.get("$ref", "")
            if not ref:
                return ref_holder
            name = ref.rsplit("/", 1)[-1]
            if name not in local:
                local[name] = local_refs(schemas[name], f"#/components/schemas/{name}/")
            return local[name]

        self.operations: list[OperationSpec] = []
        for path, item in document["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                body = op.get("requestBody", {}).get("content", {})
                content_type, media = next(iter(body.items()), (None, {}))
                ok = op.get("responses", {}).get("200", {}).get("content", {})
                main = next((m for ct, m in ok.items() if ct != "text/event-stream"), None)
                stream = ok.get("text/event-stream")
                rules = faithful.get(op["operationId"], {})
                request_schema = resolve(media.get("schema"))
                self.operations.append(OperationSpec(
                    operation_id=op["operationId"], method=method.upper(), path=path,
                    pattern=_path_pattern(path),
                    request_schema=request_schema, request_content=content_type,
                    sdk_request_schema=sdk_view(request_schema) if request_schema else None,
                    response_schema=resolve(main.get("schema")) if main else None,
                    stream_schema=resolve(stream.get("schema")) if stream else None,
                    stream_dialect=stream.get("x-stream-dialect") if stream else None,
                    faithful_schema=rules.get("schema"), raw=op,
                ))
        # Static paths before templated ones, so `/chat/completions` never matches `{id}`.
        self.operations.sort(key=lambda o: (o.path.count("{"), o.path))
        self.by_id = {o.operation_id: o for o in self.operations}

    @property
    def sdk_version(self) -> str:
        """The openai SDK version the contract was generated from."""
        return str(self.document["info"].get("x-openai-sdk-version"))

    @property
    def sdk_models(self) -> dict[str, list[str]]:
        """Model ids the SDK names, by family."""
        return dict(self.document.get("x-sdk-models", {}))

    def match(self, method: str, path: str) -> tuple[OperationSpec | None, dict[str, str], list[str]]:
        """The operation at ``path`` for ``method``, its path parameters, and the methods the path allows."""
        allowed: list[str] = []
        for op in self.operations:
            m = op.pattern.match(path)
            if m is None:
                continue
            if op.method == method:
                return op, m.groupdict(), allowed
            allowed.append(op.method)
        return None, {}, allowed

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


def local_refs(node: Any, base: str) -> Any:
    """A component schema whose references say ``#/components/schemas/NAME/$defs/X`` (from the document's
    top, as OpenAPI tools read them) with each written ``#/$defs/X``: the component alone is a whole schema."""
    if isinstance(node, list):
        return [local_refs(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: local_refs(v, base) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith(base):
        out["$ref"] = "#/" + ref[len(base):]
    return out


def sdk_view(schema: dict[str, Any]) -> dict[str, Any]:
    """A request schema as the SDK's types say it: ``x-sdk-required`` as ``required``, no null-for-absent branches."""
    if isinstance(schema, list):
        return [sdk_view(s) for s in schema]  # type: ignore[return-value]
    if not isinstance(schema, dict):
        return schema
    branches = schema.get("anyOf")
    if isinstance(branches, list) and any(isinstance(b, dict) and b.get(NULL_MEANS_ABSENT) for b in branches):
        kept = [b for b in branches if not (isinstance(b, dict) and b.get(NULL_MEANS_ABSENT))]
        if len(kept) == 1 and len(schema) == 1:
            return sdk_view(kept[0])
        schema = {**schema, "anyOf": kept}
    out = {k: sdk_view(v) for k, v in schema.items()}
    if SDK_REQUIRED in out:
        out["required"] = out[SDK_REQUIRED]
    return out


@dataclass(frozen=True)
class _Validators:
    """The pure-Python validator (error paths) and, when installed, a compiled one (speed)."""

    full: Draft202012Validator
    fast: Any = None


_VALIDATORS: dict[tuple[str, str], _Validators] = {}


def _validator(operation_id: str, kind: str, schema: dict[str, Any]) -> _Validators:
    key = (operation_id, kind)
    found = _VALIDATORS.get(key)
    if found is None:
        fast = None
        # jsonschema-rs (the `fast` extra) answers "is it valid?" about 100x faster; the pure-Python
        # validator then runs only for invalid bodies, where its error paths and best_match are needed.
        try:
            import jsonschema_rs

            fast = jsonschema_rs.validator_for(schema)
        except Exception:  # not installed, or a schema it can't compile: the pure validator decides alone
            fast = None
        found = _VALIDATORS[key] = _Validators(Draft202012Validator(schema), fast)
    return found


def format_path(path: Iterable[Any]) -> str:
    """``['messages', 0, 'role']`` as ``messages[0].role``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _raise_first(validators: _Validators, body: Any) -> None:
    if validators.fast is not None and validators.fast.is_valid(body):
        return
    error = max(validators.full.iter_errors(body), key=relevance, default=None)  # unions: _descend picks the branch
    if error is None:
        return
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
                return InvalidValueError(
                    f"Invalid value: {json.dumps(value)}. Supported values are: {', '.join(json.dumps(a) for a in allowed)}.",
                    param=param,
                )
        types = [e for e in error.context if e.validator == "type" and not e.relative_path]
        if len(types) == len(branches):
            expected: list[str] = []
            for e in types:
                for t in (e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]):
                    if t not in expected:
                        expected.append(t)
            param = format_path(error.absolute_path)
            return InvalidRequestError(
                f"Invalid type for '{param}': expected {_describe(expected)}, but got {_describe_value(error.instance)} instead.",
                param=param, code="invalid_type",
            )
        fitting = [errs for errs in branches.values() if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(fitting) == 1:  # one branch takes this kind of value (an array, not a string): follow it
            error = max(fitting[0], key=relevance)
            continue
        error = best_match(error.context)
    return error


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
        return InvalidRequestError(f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter")
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = error.validator_value
        side = "below minimum" if "inimum" in str(error.validator) else "above maximum"
        kind = "integer" if isinstance(error.instance, int) and not isinstance(error.instance, bool) else "decimal"
        op = ">=" if side.startswith("below") else "<="
        return InvalidValueError(
            f"Invalid '{param}': {kind} {side} value. Expected a value {op} {bound}, but got {error.instance} instead.",
            param=param, code=f"{kind}_{side.replace(' ', '_').replace('minimum', 'min').replace('maximum', 'max')}_value",
        )
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return InvalidValueError(
            f"Invalid value: {json.dumps(error.instance)}. Supported values are: {', '.join(json.dumps(a) for a in allowed)}.",
            param=param,
        )
    if error.validator in ("maxItems", "minItems"):
        n = error.validator_value
        word = "at most" if error.validator == "maxItems" else "at least"
        code = "array_above_max_length" if error.validator == "maxItems" else "empty_array" if n == 1 else "array_below_min_length"
        return InvalidRequestError(f"Invalid '{param}': expected an array with {word} {n} items, but got an array with length {len(error.instance)} instead.", param=param, code=code)
    if error.validator == "type":
        expected = error.validator_value
        return InvalidRequestError(
            f"Invalid type for '{param}': expected {_describe(expected)}, but got {_describe_value(error.instance)} instead.",
            param=param, code="invalid_type",
        )
    return InvalidRequestError(f"Invalid '{param or 'body'}': {error.message}", param=param, code="invalid_value")


def _describe(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    words = {"string": "a string", "integer": "an integer", "number": "a decimal", "boolean": "a boolean",
             "array": "an array", "object": "an object", "null": "null"}
    return " or ".join(words.get(n, n) for n in names)


def _describe_value(value: Any) -> str:
    for name, tp in (("a boolean", bool), ("an integer", int), ("a decimal", float), ("a string", str),
                     ("an array", list), ("an object", dict)):
        if isinstance(value, tp):
            return name
    return "null"


@lru_cache(maxsize=4)
def load_contract(path: Path | None = None) -> Contract:
    """The contract document, parsed once per process."""
    source = path or contracts_dir() / "openapi.json"
    return Contract(json.loads(source.read_text(encoding="utf-8")))
