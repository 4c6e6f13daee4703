"""Properties of the media domain code over many inputs (the SDK-level tests cover the endpoints)."""

from __future__ import annotations

import base64
import io
import math
import struct

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from mockapi.api.audio import speech, transcript
from mockapi.api.embeddings.embed import as_float32, embed, encode_base64, shorten
from mockapi.api.images import png
from mockapi.core.determinism import rng


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=200), dimensions=st.integers(min_value=1, max_value=1536))
def test_any_text_embeds_to_a_unit_float32_vector_at_any_size(text, dimensions):
    full = embed("text-embedding-3-small", text, 1536)
    assert full == embed("text-embedding-3-small", text, 1536) == as_float32(full)
    assert abs(math.sqrt(math.fsum(x * x for x in full)) - 1) < 1e-5
    short = shorten(full, dimensions)
    assert len(short) == dimensions and abs(math.sqrt(math.fsum(x * x for x in short)) - 1) < 1e-5
    assert list(struct.unpack(f"<{dimensions}f", base64.b64decode(encode_base64(short)))) == short


@settings(max_examples=40, deadline=None)
@given(tokens=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=50))
def test_token_inputs_embed_too(tokens):
    vector = embed("text-embedding-3-large", tokens, 3072)
    assert abs(math.sqrt(math.fsum(x * x for x in vector)) - 1) < 1e-5


@settings(max_examples=25, deadline=None)
@given(width=st.integers(min_value=1, max_value=300), height=st.integers(min_value=1, max_value=300),
       seed=st.text(max_size=20), alpha=st.booleans())
def test_artwork_is_a_valid_png_of_the_size(width, height, seed, alpha):
    data = png.artwork(seed, width, height, alpha=alpha)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.size == (width, height) and image.mode == ("RGBA" if alpha else "RGB")
    assert png.read_header(data) == png.PNGInfo(width, height, image.mode)


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=300), speed=st.floats(min_value=0.25, max_value=4.0))
def test_speech_samples_match_the_plan(text, speed):
    plan = speech.plan(text, speed, "alloy")
    pcm = b"".join(speech.pcm(plan))
    assert len(pcm) == 2 * plan.samples and plan.seconds > 0


@settings(max_examples=30, deadline=None)
@given(seconds=st.floats(min_value=0.1, max_value=600), seed=st.integers())
def test_transcript_timings_are_ordered_and_inside_the_audio(seconds, seed):
    t = transcript.build(rng(seed), seconds, "en")
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts) and all(s.start <= s.end <= t.duration + 0.01 for s in t.segments)
    srt = transcript.render(t, "srt", words=False, temperature=0, task="transcribe", usage=None, r=rng(seed))
    assert srt.count(" --> ") == len(t.segments)
