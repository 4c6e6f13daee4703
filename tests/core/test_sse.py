"""The SSE encoder: frames, and templates that encode the shared part of many frames once (issue 15)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapi.core import sse

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def test_a_frame_is_an_optional_event_line_then_compact_json():
    assert sse.frame({"a": [1, "é"]}) == 'data: {"a":[1,"é"]}\n\n'.encode()
    assert sse.frame({"type": "x"}, "x") == b'event: x\ndata: {"type":"x"}\n\n'
    assert sse.frame("[DONE]") == sse.DONE


@given(head=st.dictionaries(st.text(max_size=8), JSON, max_size=5), values=st.lists(JSON, max_size=5),
       event=st.none() | st.sampled_from(["response.output_text.delta", "error"]))
def test_a_template_frame_is_the_frame_of_the_filled_value(head, values, event):
    data = {**head, "choices": [{"index": 0, "delta": {"content": sse.HOLE}, "logprobs": None}]}
    template = sse.Template(data, event)
    filled = [sse.frame({**head, "choices": [{"index": 0, "delta": {"content": v}, "logprobs": None}]}, event) for v in values]
    assert [template.frame(v) for v in values] == filled
    assert list(template.frames(values)) == filled


def test_text_around_the_hole_that_spells_it_is_left_alone():
    lookalike = "\x00hole\x00"  # equal to the HOLE, but not the HOLE: a model name a client sent, say
    template = sse.Template({"model": lookalike, "delta": sse.HOLE})
    assert template.frame("hi") == sse.frame({"model": lookalike, "delta": "hi"})
    assert list(template.frames(["a", "b"])) == [sse.frame({"model": lookalike, "delta": v}) for v in "ab"]
    assert json.loads(template.frame(1)[6:])["model"] == lookalike


def test_a_template_needs_a_hole():
    with pytest.raises(ValueError):
        sse.Template({"delta": "no hole"})
