"""The digest's fast canonical JSON (orjson when it agrees) gives exactly the standard encoder's bytes."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.core.determinism import request_digest
from mockapi.core.jsonutil import _orjson_risk, canonical_json, standard_json

STANDARD = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500)
@given(json_values)
def test_canonical_bytes_equal_the_standard_encoder(value):
    assert canonical_json(value) == STANDARD.encode(value).encode()


def test_the_cases_orjson_writes_differently_take_the_standard_encoder():
    for value in ({"t": 1e-05}, {"t": 7.28e-05}, {"t": 1e16}, {"s": "\x7f"}, {"s": "café"}, {"n": 2**70}, {1: "a"}):
        assert canonical_json(value) == STANDARD.encode(value).encode(), value


def test_request_digest_is_unchanged_for_a_chat_body():
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.00001, "stream": True}
    # the digest as it was computed before the fast path: the standard encoder's text of the body minus transport fields
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for part in (b"7", b"createChatCompletion", STANDARD.encode({k: v for k, v in body.items() if k != "stream"}).encode()):
        h.update(part)
        h.update(b"\x1f")
    assert request_digest(7, "createChatCompletion", body) == h.hexdigest()


COMPACT = json.JSONEncoder(separators=(",", ":"))  # the tool arguments' encoder (unsorted)
any_floats = st.floats()  # NaN and the infinities too: filled values were not parsed from JSON


@settings(max_examples=300)
@given(st.recursive(st.none() | st.booleans() | st.integers() | any_floats | st.text(),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
                    max_leaves=20))
def test_standard_json_of_unparsed_values_equals_the_encoder_it_is_given(value):
    assert standard_json(value, COMPACT, parsed=False) == COMPACT.encode(value).encode()


def test_nan_and_infinity_take_the_encoder_when_the_value_was_not_parsed():
    for value in ({"x": float("nan")}, {"x": float("inf")}, [float("-inf"), None]):
        assert standard_json(value, COMPACT, parsed=False) == COMPACT.encode(value).encode(), value


RISK = re.compile(rb"[0-9][eE]|0\.0000|\x7f")  # the patterns the substring searches replaced
RISK_OR_NULL = re.compile(rb"[0-9][eE]|0\.0000|\x7f|null")


@settings(max_examples=500)
@given(st.binary(max_size=40) | st.text(alphabet="0123456789eE.nul\x7f x", max_size=40).map(str.encode), st.booleans())
def test_the_risk_check_answers_as_the_regex_did(data, parsed):
    assert _orjson_risk(data, parsed) == ((RISK if parsed else RISK_OR_NULL).search(data) is not None)
