"""The names a prompt quotes after "named", "called" or "titled" ("a customer named '你好啊集团'"), in any script
and quotes, and what it says the named thing is: the values a real model gives a name-like property."""

from __future__ import annotations

import re
from typing import NamedTuple

# A quoted name: '...' (an apostrophe inside a word stays in it: 'Bob's Burgers'), "...", “...”, ‘...’, 「...」, 『...』.
_QUOTE = r"""'(?:[^'\n]|'(?=\w))+'|"[^"\n]+"|“[^”\n]+”|‘(?:[^’\n]|’(?=\w))+’|「[^」\n]+」|『[^』\n]+』"""
_QUOTED = re.compile(_QUOTE)
# Names quoted after "named", "called" or "titled", one or a list ("named 'Acme' and 'Globex'").
_CALLED = re.compile(rf"\b(?:named|called|titled|entitled|(?:name|title)\s+is)\s*:?\s*((?:{_QUOTE})"
                     rf"(?:\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:{_QUOTE}))*)", re.I)
# What the named thing is, right after its name: "'你好啊集团' (Hello Group) - a Chinese technology company that ...".
_DESCRIBED = re.compile(r"\s*(?:\([^()\n]*\)\s*)?[-–—:,]\s*(?:(?:which|that|who|it)\s+is\s+)?((?:an?|the)\s[^\n]*?)\s*"
                        r"(?:[.!?](?:\s|$)|\n|$)", re.I)


class Quoted(NamedTuple):
    """The names a prompt quotes after "named" or "called", in order, and what the first one described is."""

    names: list[str]
    description: str | None


def quoted_names(prompt: str) -> Quoted:
    """The names ``prompt`` quotes after "named", "called" or "titled", and the words that say what the first is."""
    found: list[str] = []
    described: str | None = None
    low = prompt.lower()
    if "name" not in low and "called" not in low and "title" not in low:
        return Quoted(found, described)  # substring searches cost far less than the pattern's scan: most prompts name nothing
    for run in _CALLED.finditer(prompt):
        found += [q.group()[1:-1].strip() for q in _QUOTED.finditer(run.group(1))]
        about = _DESCRIBED.match(prompt, run.end()) if described is None else None
        described = about.group(1) if about is not None else described
    return Quoted(list(dict.fromkeys(n for n in found if n)), described)
