"""Ids are the base-62 digits of the parts' digest, low digit first, whatever way they are computed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockapi.core.determinism import ALNUM, digest, make_id


def reference_id(prefix: str, *parts: object, length: int) -> str:
    """One digit per division, as ids were first made."""
    number = int(digest("id", prefix, *parts, size=32), 16)
    chars = []
    for _ in range(length):
        number, index = divmod(number, 62)
        chars.append(ALNUM[index])
    return prefix + "".join(chars)


@given(st.text(max_size=12), st.integers(), st.integers(min_value=0, max_value=64))
def test_make_id_gives_the_reference_digits(part, number, length):
    assert make_id("chatcmpl-", part, number, length=length) == reference_id("chatcmpl-", part, number, length=length)


def test_a_known_id_is_stable():
    assert make_id("call_", "x", length=24) == reference_id("call_", "x", length=24)
    assert len(make_id("resp_", "y", length=48)) == len("resp_") + 48
