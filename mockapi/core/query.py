"""Query parameters checked against the contract's parameter schemas: types and enums at every level, ranges at faithful.

A query string is text, so each value is read as its schema's type first (``limit=5`` is the
integer 5, ``stream=true`` stays the string the contract's enum names), then validated with the
same JSON Schema rules and error messages as a body: ``limit=0`` is the real "integer below minimum
value" 400, ``order=sideways`` the "Invalid value ... Supported values are" 400 the body rules give.
source: the bound message as the real API words it for a body integer ("Invalid 'n': integer above maximum
value. Expected a value <= 128, but got 130 instead.", code integer_above_max_value, quoted in
github.com/thisisartium/continuous-alignment-testing/issues/25); list endpoints document limit 1-100
(files: 1-10,000) and order asc|desc (developers.openai.com/api/reference/resources/files/methods/list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from .contract import OperationSpec, to_api_error
from .errors import InvalidRequestError

if TYPE_CHECKING:  # jsonschema loads only when a query is checked (start-up stays light, as in contract.py)
    from jsonschema import Draft202012Validator

# Boolean flags as the real server reads them (see mockapi/api/responses/handlers.py `_flag`).
_BOOLEAN_WORDS = {"true": "true", "1": "true", "false": "false", "0": "false"}


# Ranges are the real server's rules (faithful), as a body's ranges are: the SDK's own generated suite
# sends `limit=0`, which the spec it is generated from allows, so level `schema` checks types and enums only.
_RANGES = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def validate_query(op: OperationSpec, query: Mapping[str, str], *, faithful: bool = True) -> None:
    """Raise the real API's 400 when a declared query parameter's value breaks its schema (ranges: faithful only)."""
    declared = _declared(op)
    if not faithful:
        declared = {name: {k: v for k, v in schema.items() if k not in _RANGES} for name, schema in declared.items()}
    if not declared:
        return
    values: dict[str, Any] = {}
    for name, schema in declared.items():
        if name in query and query[name] != "":
            values[name] = _typed(name, query[name], schema)
    if not values:
        return
    from jsonschema.exceptions import relevance

    validator = _validator(op, declared, faithful)
    error = max(validator.iter_errors(values), key=relevance, default=None)
    if error is not None:
        raise to_api_error(error)


def _declared(op: OperationSpec) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for parameter in op.raw.get("parameters", []):
        if isinstance(parameter, dict) and parameter.get("in") == "query" and isinstance(parameter.get("schema"), dict):
            schema = _unless_null(parameter["schema"])
            # Arrays, deep objects and booleans (each SDK spells them its own way): any text passes.
            if schema.get("type") in (None, "integer", "number", "string") and "anyOf" not in schema:
                out[parameter["name"]] = schema
    return out


def _unless_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf [T, null]`` as ``T``: a query string has no null (an SDK leaves the parameter out instead)."""
    branches = [b for b in schema.get("anyOf", ()) if not (isinstance(b, dict) and b.get("type") == "null")]
    if "anyOf" in schema and len(branches) == 1 and isinstance(branches[0], dict):
        return {**{k: v for k, v in schema.items() if k != "anyOf"}, **branches[0]}
    return schema


def _typed(name: str, text: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind in ("integer", "number"):
        try:
            return int(text) if kind == "integer" else float(text)
        except ValueError:
            raise InvalidRequestError(
                f"Invalid type for '{name}': expected {'an integer' if kind == 'integer' else 'a decimal'}, "
                f"but got a string instead.", param=name, code="invalid_type") from None
    enum = schema.get("enum")
    if isinstance(enum, list) and set(enum) == {"true", "false"}:
        return _BOOLEAN_WORDS.get(text.lower(), text)
    return text


_VALIDATORS: dict[tuple[str, bool], "Draft202012Validator"] = {}


def _validator(op: OperationSpec, declared: dict[str, dict[str, Any]], faithful: bool) -> "Draft202012Validator":
    found = _VALIDATORS.get((op.operation_id, faithful))
    if found is None:
        from jsonschema import Draft202012Validator

        schema = {"type": "object", "properties": declared}
        found = _VALIDATORS[op.operation_id, faithful] = Draft202012Validator(schema)
    return found
