"""People a prompt names without the capital the name reader looks for: a known first name in lower case
("extract jason is 25 years old") and the subject of "<x> is <n>" that opens a sentence ("Jason is 20, Sarah is 30").
"""

from __future__ import annotations

import re
from typing import Any, Callable, Protocol

from . import lexicon


class _Span(Protocol):
    start: int
    end: int


# "<x> is <n>", "<x> is aged <n>", "<x>, who is <n> years old": the verb and the number after the subject. Found by the
# verb and its number first (a plain search) and the word before it read after, most prompts cost one fast search.
_AGE = re.compile(r" (?:is|was)\s+(?:aged\s+)?\d+(?:\.\d+)?"
                  r"(?:\s*(?:-\s*)?(?:years?|yrs?)(?:\s*|-)old\b|\s*y/?o\b|(?!\s*[a-z%°]))")
_LAST_WORD = re.compile(r"(?<![\w'-])([A-Za-z][\w'-]*)(?:,?\s+who)?\s*\Z")
_YEARS_OLD = re.compile(r"(?:years?|yrs?)(?:\s*|-)old|y/?o", re.I)
_LOWER_RUN = re.compile(r"[a-z]+")
_LOWER_WORD = re.compile(r"(?<![\w'@./-])[a-z][a-z]+(?![\w'@/-]|\.\w)")  # not "alice@example.com" nor "/john/"
# A word before the subject that makes it a thing, not a name: "my son is 5", "the price is 20".
_DETERMINERS = frozenset("the a an my your his her its our their this that each every".split())
_NOT_PEOPLE = frozenset("age price total count score result answer number sum value temperature cost size rate "
                        "year month day week time height weight length width distance speed level version".split())


def with_people(found: list[Any], prompt: str, make: Callable[[str, int, int, str], Any]) -> list[Any]:
    """``found`` (the capitalised names, in order) with the people it missed, each made by ``make(text, start, end,
    "person")``, in prompt order."""
    missed = [make(text, start, end, "person") for text, start, end in missed_people(prompt, found)]
    return sorted(found + missed, key=lambda n: n.start) if missed else found


def missed_people(prompt: str, found: list[_Span]) -> list[tuple[str, int, int]]:
    """(text, start, end) of each person ``prompt`` names that no span of ``found`` covers."""
    taken = [(n.start, n.end) for n in found]
    out: list[tuple[str, int, int]] = []

    def add(start: int, end: int) -> None:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            out.append((prompt[start:end], start, end))

    for match in _AGE.finditer(prompt):
        before = match.start() - 40 if match.start() > 40 else 0
        word = _LAST_WORD.search(prompt, before, match.start())
        if word is not None and _is_subject(prompt, word.start(1), word.group(1), match.group()):
            add(word.start(1), word.end(1))
    if not lexicon.LOWER_CASE_PEOPLE.isdisjoint(_LOWER_RUN.findall(prompt)):  # most prompts name no one in lower case
        for match in _LOWER_WORD.finditer(prompt):
            if match.group() in lexicon.LOWER_CASE_PEOPLE:
                add(match.start(), match.end())
    return sorted(out, key=lambda t: t[1])


def _is_subject(prompt: str, start: int, word: str, said: str) -> bool:
    """Whether ``word``, the subject of "<x> is <n>" (``said``), reads as a person: a known first name, a capitalised
    word that is no common word, or any word said to be so many years old; never a word after "the" or "my"."""
    low = word.lower()
    if len(word) < 2 or low in lexicon.NOT_NAMES or low in _NOT_PEOPLE:
        return False
    before = prompt[max(0, start - 12):start].split()
    if before and before[-1].lower() in _DETERMINERS:
        return False
    return low in lexicon.PEOPLE or word[0].isupper() or _YEARS_OLD.search(said) is not None
