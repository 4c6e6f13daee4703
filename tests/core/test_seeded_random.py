"""``seeded`` and ``below``: random.py's numbers without its Python frames, checked against random.py itself.

Every reply's text and ids are drawn from these: were they to differ from ``random.Random(seed)`` and
``randrange``/``randint`` by one draw, the same request would answer other bytes than it did before.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapi.core.determinism import below, between, seeded

SEEDS = st.integers(min_value=0, max_value=2**128)


@given(SEEDS)
def test_seeded_is_random_random_of_the_same_seed(seed: int) -> None:
    mine, theirs = seeded(seed), random.Random(seed)
    assert mine.getstate() == theirs.getstate()
    assert [mine.random() for _ in range(3)] == [theirs.random() for _ in range(3)]
    assert mine.gauss(0, 1) == theirs.gauss(0, 1)  # random.py's own attribute, gauss_next, is there too


@given(SEEDS, st.lists(st.integers(min_value=1, max_value=2**70), min_size=1, max_size=20))
def test_below_draws_what_randrange_draws(seed: int, sizes: list[int]) -> None:
    mine, theirs = seeded(seed), random.Random(seed)
    assert [below(mine, n) for n in sizes] == [theirs.randrange(n) for n in sizes]
    assert mine.getstate() == theirs.getstate()  # and leaves the generator where randrange leaves it


@given(SEEDS, st.integers(min_value=-50, max_value=50), st.integers(min_value=0, max_value=100))
def test_between_draws_what_randint_draws(seed: int, low: int, width: int) -> None:
    assert between(seeded(seed), low, low + width) == random.Random(seed).randint(low, low + width)


@pytest.mark.parametrize("n", [0, -3])
def test_an_empty_range_is_refused_not_drawn_for_ever(n: int) -> None:
    with pytest.raises(ValueError, match="empty range"):
        below(seeded(1), n)
    with pytest.raises(ValueError, match="empty range"):
        between(seeded(1), 5, 5 + n - 1)  # as randint(5, 4) is
