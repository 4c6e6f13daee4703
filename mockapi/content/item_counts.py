"""How many items a prompt asks an array for: "Generate three fake profiles", "5 users", "a couple of ideas".

A count counts an array only when a word after it names the array's items: the array's property name, its items'
title ("UserProfile": "user", "profile") or a word for items in general ("examples", "entries"). "I have three
questions" leaves an array of users alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from .understanding import stem
from .words import identifier_words

MAX_ITEMS = 100  # a count asked for is capped: "a million users" must not build a million records

_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                            "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update(thirty=30, forty=40, fifty=50, hundred=100, dozen=12, couple=2, pair=2, few=3, several=3, handful=5)
_COUNT = re.compile(r"(?<![\w.,-])(?:(\d{1,4})|(?:an?\s+)?(?:(half)\s+a\s+)?(" + "|".join(_NUMBER_WORDS) + r"))"
                    r"(?:\s+of)?\s+((?:[a-z][\w'-]*[\s,]+){0,3}[a-z][\w'-]*)")  # read in lower case: no re.I, faster
_COUNT_HINT = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b")  # most prompts state no count: no search
_WORD = re.compile(r"[a-z][\w'-]*")
# Words that end the phrase a count belongs to: "three questions about users" counts questions, not users.
_STOP = frozenset("about for of in on with from to and or that which who whose than as at by is are was were "
                  "the this that these those each i you we they he she it me us them my your our their".split())


@lru_cache(maxsize=1024)
def _key(word: str) -> str:
    """A word's stem by its singular: "profiles" and "Profile", "entries" and "entry" meet."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("ses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return stem(w)


_ANY_ITEMS = frozenset(map(_key, "items examples entries records objects entities samples instances results "
                                 "elements".split()))
_NOT_ITEMS = frozenset(map(_key, "list array object json field property properties type string value".split()))


@lru_cache(maxsize=64)  # by prompt: every array of a schema asks the same prompt
def counts_in(prompt: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """(count, stems of the words it counts) for each count the prompt states, in order."""
    low = prompt.lower()
    if _COUNT_HINT.search(low) is None:
        return ()
    out = []
    for match in _COUNT.finditer(low):
        digits, half, word = match.group(1), match.group(2), match.group(3)
        count = int(digits) if digits is not None else _NUMBER_WORDS[word] // (2 if half else 1)
        words = []
        for w in _WORD.findall(match.group(4)):
            if w in _STOP:
                break
            words.append(w)
        out.append((count, frozenset(map(_key, words))))
    return tuple(out)


def asked_count(prompt: str, prop: str, schema: dict[str, Any], items: dict[str, Any]) -> int | None:
    """The number of items the prompt asks the array ``prop`` for (within its minItems and maxItems), or None."""
    found = counts_in(prompt)
    if not found:
        return None
    named = " ".join((prop, str(items.get("title") or ""), str(schema.get("title") or "")))
    names = {_key(w) for w in identifier_words(named)} - _NOT_ITEMS
    count = next((n for n, said in found if said & names or said & _ANY_ITEMS), None)
    if count is None:
        return None
    low, high = int(schema.get("minItems", 0)), schema.get("maxItems")
    count = min(max(count, low), MAX_ITEMS)
    return min(count, int(high)) if high is not None else count


def sized(values: list[Any], count: int | None, more: Callable[[], Any], options: Any = None) -> list[Any]:
    """``values`` cut or made up to ``count`` items (as they are when no count is asked): an enum's unused ``options``
    first ("three colours": three different ones), then ``more()``."""
    if count is None:
        return values
    spare = [o for o in options if o not in values] if isinstance(options, list) else []
    out = values[:count] + spare[:max(0, count - len(values))]
    return out + [more() for _ in range(count - len(out))]
