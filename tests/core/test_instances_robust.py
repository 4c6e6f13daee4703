"""The schema filler never fails on a caller's schema, however malformed: a structured-output or tool
schema is user input, and a bad one must never turn into a 500 (issue 14)."""

from __future__ import annotations

import json
import random

import pytest
from conftest import make_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.core.engine import Request
from mockapi.core.instances import instance

KEYWORDS = ["type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
            "minLength", "maxLength", "pattern", "enum", "const", "required", "properties", "items", "anyOf", "oneOf",
            "allOf", "$ref", "$defs", "format"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False), st.text(max_size=8),
                    st.sampled_from(["(", "[a-", "integer", "string", "array", "object", "#/$defs/x", "#/nope"]))
schemas = st.recursive(
    st.dictionaries(st.sampled_from(KEYWORDS), scalars, max_size=4),
    lambda inner: st.dictionaries(st.sampled_from(KEYWORDS),
                                  st.one_of(scalars, inner, st.lists(st.one_of(inner, scalars), max_size=3),
                                            st.dictionaries(st.text(max_size=4), inner, max_size=3)), max_size=5),
    max_leaves=20)


@settings(max_examples=300, deadline=None, database=None)
@given(schemas, st.integers(0, 2**32))
def test_instance_never_raises(schema, seed):
    instance(schema, random.Random(seed))


@pytest.mark.parametrize("schema", [
    {"type": "integer", "minimum": "zz"},
    {"type": "string", "pattern": "(["},
    {"type": "array", "items": {}, "minItems": 100_000_000},
    {"type": "string", "minLength": 100_000_000},
    {"allOf": [1]},
    {"enum": 5},
    {"$ref": "#"},  # a reference to itself
    {"type": "object", "properties": {"a": {"allOf": [{"$ref": "#"}]}}, "required": ["a"]},
    {"type": "array", "minItems": 50, "items": {"type": "array", "minItems": 50, "items": {"type": "array", "minItems": 50}}},
])
def test_a_malformed_response_format_schema_is_never_a_500(schema):
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "My name is Alice."}],
            "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}}
    reply = make_engine().handle(Request("POST", "/v1/chat/completions", {"authorization": "Bearer sk-test-0123456789",
                                                                            "content-type": "application/json"},
                                         json.dumps(body).encode()))
    assert reply.status < 500, reply.body[:300]
