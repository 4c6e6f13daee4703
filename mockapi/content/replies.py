"""What the mock says: a deterministic reply that depends on the whole conversation.

Facts the user stated earlier ("My name is Alice and I work as a software engineer") are
remembered and echoed when asked ("What's my occupation?"), so a test can tell a continued
conversation from a branched one; in a chat of several named speakers, "Who just spoke?" names the last
one (mockapi/content/speakers.py). Everything else is corpus text chosen by the seeded RNG.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from .cues import says_any
from .speakers import asks_who, who_spoke
from .textgen import reply_text

_STOP = r"(?=\s+and\s+|\s+but\s+|[.,;!?]|$)"
_FACT_PATTERNS = [
    # Names are capitalised words: only the lead-in ignores case, so "Alice and I work…" stops at "Alice".
    (re.compile(r"\b(?i:my name is) ([A-Z][\w'-]*(?: [A-Z][\w'-]*)*)"), "name"),
    (re.compile(r"\b(?i:call me) ([A-Z][\w'-]*)"), "name"),
    (re.compile(rf"\bI work as (?:an? )?(.+?){_STOP}", re.I), "occupation"),
    (re.compile(rf"\bI(?: am|'m) (?:an? )([a-z][\w -]+?){_STOP}", re.I), "occupation"),
    (re.compile(r"\b(?i:I live in) ([A-Z][\w'-]*(?: [A-Z][\w'-]*)*)"), "location"),
    (re.compile(r"\b(?i:I am from|I'm from) ([A-Z][\w'-]*(?: [A-Z][\w'-]*)*)"), "location"),
    (re.compile(rf"\bmy favou?rite (\w+) is (.+?){_STOP}", re.I), None),
    (re.compile(rf"\bmy (\w+) is (.+?){_STOP}", re.I), None),
]
_SYNONYMS = {
    "job": "occupation", "profession": "occupation", "work": "occupation", "occupation": "occupation",
    "name": "name", "city": "location", "home": "location", "location": "location",
}
# Every fact pattern starts with one of these (case aside): a turn without any states nothing, and one search
# is cheaper than the eight patterns (each new question of a benchmark missed the cache below).
_MAYBE_STATES = re.compile(r"\b(?:my|call me|I work|I am|I'm|I live)\b", re.I)
_STATING = ("my", "call me", "i work", "i am", "i'm", "i live")  # what that search needs, for ``says_any`` first
_QUESTION = re.compile(r"\b(?:what(?:'s| is)|do you (?:know|remember)|tell me) my (?:favou?rite )?(\w+)", re.I)
_WHO = re.compile(r"\bwho am i\b", re.I)
_ASKING = ("my", "who am i")  # what either question needs


def remembered_facts(user_turns: Iterable[str]) -> dict[str, str]:
    """Facts stated in the user's turns, later statements winning."""
    facts: dict[str, str] = {}
    for text in user_turns:
        for overwrite, key, value in _statements(text):
            if overwrite:
                facts[key] = value
            else:
                facts.setdefault(key, value)
    return facts


@lru_cache(maxsize=1024)
def _statements(text: str) -> tuple[tuple[bool, str, str], ...]:
    """What one turn states, in order: (whether it overrides an earlier fact, key, value). Cached: a conversation's
    turns come back with every request, and eight patterns per turn showed in per-request profiles."""
    found: list[tuple[bool, str, str]] = []
    if not says_any(text, _STATING) or not _MAYBE_STATES.search(text):
        return ()
    for pattern, key in _FACT_PATTERNS:
        for match in pattern.finditer(text):
            if key is None:
                name, value = match.group(1).lower(), match.group(2)
                found.append((False, _SYNONYMS.get(name, name), value.strip()))
            else:
                found.append((True, key, match.group(1).strip()))
    return tuple(found)


def recall(question: str, earlier_user_turns: list[str]) -> str | None:
    """An answer from remembered facts when ``question`` asks about one, else None."""
    if not says_any(question, _ASKING):
        return None
    facts = remembered_facts(earlier_user_turns)
    if _WHO.search(question):
        parts = [f"your name is {facts['name']}"] if "name" in facts else []
        if "occupation" in facts:
            parts.append(f"you work as a {facts['occupation']}")
        return ("From what you told me, " + " and ".join(parts) + ".") if parts else "You haven't told me about yourself yet."
    match = _QUESTION.search(question)
    if not match:
        return None
    asked = match.group(1).lower()
    key = _SYNONYMS.get(asked, asked)
    if key in facts:
        value = facts[key]
        if key == "occupation":
            return f"You told me you work as a {value}, so your {asked} is {value}."
        return f"Your {asked} is {value}."
    return f"I don't know your {asked} yet; you haven't told me."


def compose(user_turns: list[str], r: random.Random, *, tool_results: list[str] | None = None,
            speakers: Callable[[], Sequence[tuple[str | None, str]]] | None = None) -> str:
    """The reply to the last user turn, given the earlier ones (and tool results, if any).

    ``speakers``: the conversation's (speaker name or None, text) turns up to the last user turn, for questions about
    who spoke (mockapi/content/speakers.py); called only when that turn says "who".
    """
    last = user_turns[-1] if user_turns else ""
    if tool_results:
        summary = "; ".join(t.strip()[:200] for t in tool_results if t.strip())
        return f"Based on the tool results ({summary}), here is the answer. " + reply_text(r, "", (12, 30))
    if speakers is not None and asks_who(last):
        answer = who_spoke(speakers())
        if answer is not None:
            return answer
    remembered = recall(last, user_turns[:-1])
    if remembered is not None:
        return remembered
    if user_turns and len(user_turns) == 1 and remembered_facts([last]):
        facts = remembered_facts([last])
        greeting = f"Nice to meet you, {facts['name']}! " if "name" in facts else "Thanks for telling me. "
        return greeting + reply_text(r, last, (12, 30))
    return reply_text(r, last)
