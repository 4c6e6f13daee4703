"""The words a prompt asks to be said back: "Say the word `love`.", "Respond with 'OK'", "Reply with only yes.",
and the words a sentence must contain ("a sentence that contains the words `love` `peace` `joy`").

A reply's string property takes them: the only property of its object, or one named like a reply ("content").
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTED = r"`([^`\n]+)`|\"([^\"\n]+)\"|'([^'\n]+)'|“([^”\n]+)”"
# "say the word X", "respond with X", "reply with only X", "answer with just X", "return 'X'": quoted, or one bare word
# that ends its clause ("say hello." but not "say hello to Bob").
_SAY = re.compile(r"\b(?:(say|respond\s+with|reply\s+with|answer\s+with)|return|output|print)\s+(?:only\s+|just\s+|exactly\s+)?"
                  r"(?:(the\s+(?:single\s+)?(?:word|phrase|text|string)\s+))?(?:" + _QUOTED +
                  r"|([A-Za-z][\w'-]*)(?=\s*(?:[.!?,;]|$)))", re.I | re.M)
_CONTAINS = re.compile(r"\bcontain(?:s|ing)?\s+(?:the\s+)?(?:following\s+)?words?\s*:?\s*((?:(?:" + _QUOTED.replace("(", "(?:")
                       + r")[\s,]*(?:and\s+|or\s+)?)+)", re.I)
_EACH_QUOTED = re.compile(_QUOTED)
# A condition in the clause: "say 'TERMINATE' when you are done" is for later, not this reply.
_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|otherwise|once|after|until)\b", re.I)
_CLAUSE_END = re.compile(r"[.!?\n]")
# Bare words that say how to answer, not what: "Respond with JSON.", "Reply with code."
_HOW = frozenset("json yaml xml markdown csv html text code nothing something it this that them more less".split())
_REPLY_PROPS = frozenset("content text message answer response reply output result word phrase sentence".split())


def said_for(prop: str, siblings: tuple[str, ...], prompt: str) -> str | None:
    """What the string property ``prop`` says when the prompt asks for words said back, if it asks and ``prop`` is
    the reply (its object's only property, or named like a reply)."""
    if len(siblings) != 1 and prop.lower() not in _REPLY_PROPS:
        return None
    return said_words(prompt)


@lru_cache(maxsize=64)  # by prompt: each string property of a schema asks again
def said_words(prompt: str) -> str | None:
    """The word or phrase ``prompt`` asks to be said back, or a sentence with the words it must contain, or None."""
    low = prompt.lower()
    if "contain" in low:
        found = _CONTAINS.search(prompt)
        if found:
            words = [next(g for g in m.groups() if g is not None) for m in _EACH_QUOTED.finditer(found.group(1))]
            if words:
                listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
                return f"A sentence with {listed}."
    if not any(verb in low for verb in ("say", "respond", "reply", "answer", "return", "output", "print")):
        return None  # no verb that asks for words back: no search
    for match in _SAY.finditer(prompt):
        if _conditional(prompt, match.start(), match.end()):
            continue
        quoted = next((g for g in match.groups()[2:6] if g is not None), None)
        if quoted is not None:
            return quoted
        bare = match.group(7)
        if bare and bare.lower() not in _HOW and (match.group(2) or (match.group(1) and len(bare) > 1)):
            return bare
    return None


def _conditional(prompt: str, start: int, end: int) -> bool:
    """Whether the clause around ``prompt[start:end]`` says when to say it ("if asked", "when you are done")."""
    before = max((m.end() for m in _CLAUSE_END.finditer(prompt, max(0, start - 200), start)), default=max(0, start - 200))
    after = _CLAUSE_END.search(prompt, end)
    return _CONDITION.search(prompt, before, after.start() if after else len(prompt)) is not None
