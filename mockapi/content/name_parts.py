"""A person's name split as a form asks for it: ``first_name`` "Ana" and ``last_name`` "Lima" of "Ana Lima"."""

from __future__ import annotations

from functools import lru_cache

from .words import identifier_words


@lru_cache(maxsize=1024)  # property names recur with their tools
def name_part(prop: str) -> int | None:
    """The word of a full name a property takes: 0 (first_name, givenName), -1 (last_name, surname), else None."""
    words = set(identifier_words(prop))
    if "surname" in words or "name" in words and words & {"last", "family"}:
        return -1
    return 0 if "name" in words and words & {"first", "given"} else None


def part_of(full: str, part: int) -> str | None:
    """That word of ``full`` ("Ana Lima" -> "Ana" or "Lima"); a one-word name is a first name and has no last."""
    words = full.split()
    return words[part] if len(words) > 1 or words and part == 0 else None
