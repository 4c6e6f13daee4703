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


def test_paddings_are_one_to_sixteen_letters_or_digits_the_same_for_the_same_seed():
    import itertools
    import random
    import string

    first = list(itertools.islice(sse.paddings(random.Random(7)), 600))  # past one batch of 256
    assert first == list(itertools.islice(sse.paddings(random.Random(7)), 600))
    assert first != list(itertools.islice(sse.paddings(random.Random(8)), 600))
    assert {len(p) for p in first} == set(range(1, 17))
    assert set(b"".join(first).decode()) <= set(string.ascii_letters + string.digits)


@given(head=st.dictionaries(st.text(max_size=8), JSON, max_size=5), values=st.lists(JSON, max_size=5),
       lookalike=st.booleans())
def test_a_padded_template_frame_is_the_frame_of_the_filled_value_and_its_padding(head, values, lookalike):
    import itertools
    import random

    if lookalike:  # a value around the holes that spells the pad's marker: frames are then encoded whole
        head = {**head, "model": "\x00pad\x00"}
    data = {**head, "choices": [{"delta": {"content": sse.HOLE}}], "obfuscation": sse.PAD}
    pads = list(itertools.islice(sse.paddings(random.Random(1)), 2 * len(values)))
    filled = [sse.frame({**head, "choices": [{"delta": {"content": v}}], "obfuscation": pad.decode()}) for v, pad in zip(values * 2, pads)]
    template = sse.Template(data, pads=iter(pads))
    assert [template.frame(v) for v in values] + list(template.frames(values)) == filled


def test_a_template_with_a_pad_needs_its_paddings():
    with pytest.raises(ValueError):
        sse.Template({"delta": sse.HOLE, "obfuscation": sse.PAD})


def test_text_that_spells_the_pad_needs_no_paddings_and_is_left_alone():
    lookalike = "\x00pad\x00"
    plain = sse.Template({"delta": sse.HOLE, "note": lookalike})  # no PAD: no paddings wanted
    assert plain.frame("hi") == sse.frame({"delta": "hi", "note": lookalike})
    pads = [b"ab", b"c"]
    padded = sse.Template({"delta": sse.HOLE, "note": lookalike, "obfuscation": sse.PAD}, pads=iter(pads))
    assert list(padded.frames(["x", "y"])) == [sse.frame({"delta": v, "note": lookalike, "obfuscation": p.decode()})
                                               for v, p in zip("xy", pads)]
