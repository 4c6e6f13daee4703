"""Who said what in a multi-party chat, answered from the ``name`` that Chat messages may carry.

A conversation of several people reaches the model as user messages each naming its speaker
({"role": "user", "name": "Bob", "content": "Hi, I have brown hair."}); langchain-openai's tests ask
"Who just spoke?" after two of them and expect the previous speaker's name. Answered here: the last
speaker ("who just spoke", "who spoke last", "who said that") and who said something ("who said they
have black hair", "who has brown hair": the named messages holding every content word of it). A
question about anything else ("who painted the Mona Lisa") finds no speaker and is answered as before.
Only named messages count; the Responses API's input messages carry no names.
"""

from __future__ import annotations

import re
from typing import Sequence

from .cues import says_any
from .understanding import stem

_MENTIONS_WHO = re.compile(r"\bwho\b", re.I)
_END = r"[\s?.!]*\Z"
# The last speaker, the question saying nothing about what was said.
_LAST_SPEAKER = re.compile(
    r"\bwho\s+(?:(?:just|last|most\s+recently)\s+)?"
    r"(?:spoke|talked|wrote|posted|(?:has|had)\s+(?:just\s+)?(?:spoken|talked|written)|was\s+(?:just\s+)?(?:speaking|talking)|"
    r"said\s+(?:that|this|it|so|something)|sent\s+(?:that|this|the\s+(?:last|previous|latest)\s+message)|"
    r"was\s+the\s+(?:last|previous|latest)\s+(?:one\s+|person\s+)?(?:to\s+(?:speak|talk|write)|speaker))"
    r"(?:\s+(?:just\s+now|last|before\s+me|most\s+recently|previously|here))?" + _END, re.I)
# Who said, or is, something: "who said they have black hair", "who has brown hair", "who mentioned Paris".
_SAID = re.compile(r"\bwho\s+(?:(?:just|also)\s+)?(?:said|says|mentioned|wrote|told\s+(?:me|us))\s+(?:that\s+)?(.+?)" + _END,
                   re.I | re.S)
_IS = re.compile(r"\bwho\s+(?:here\s+)?(?:has|have|had|is|was|likes?|loves?|owns?|lives?|works?)\s+(.+?)" + _END, re.I | re.S)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
# Words a statement of a speaker need not share with the question ("they have brown hair" vs "I have brown hair").
_FILLER = frozenset("a an the i me my mine you your we our us they them their he him his she her it its is am are was were be "
                    "been has have had do does did that this there here just also said say says to of in on at with and or "
                    "hi hello hey".split())
_QUOTE_LIMIT = 200
_QUESTION_TAIL = 400


def asks_who(question: str) -> bool:
    """Whether ``question`` says "who" at all: the one cheap test before any speaker is looked at."""
    return says_any(question, ("who",)) and _MENTIONS_WHO.search(question) is not None


def who_spoke(turns: Sequence[tuple[str | None, str]]) -> str | None:
    """The answer to a question about who spoke, from (speaker name or None, text) turns ending with the question."""
    if not turns:
        return None
    asker, question = turns[-1]
    question = question[-_QUESTION_TAIL:]  # the question is the turn's end; a bounded tail keeps the searches cheap
    named = [(name, text) for name, text in turns[:-1] if name]
    if not named:
        return None  # nobody named: the question is not about this conversation's speakers
    if _LAST_SPEAKER.search(question):
        name, text = named[-1]
        if name == asker:
            return f'You did, {name}: you said "{_quoted(text)}"'
        return f'{name} just spoke. {name} said: "{_quoted(text)}"'
    match = _SAID.search(question) or _IS.search(question)
    if match is None:
        return None
    wanted = _content_words(match.group(1))
    if not wanted:
        return None
    speakers = [(name, text) for name, text in named if wanted <= _content_words(text)]
    if not speakers:
        return None  # nobody here said it: a question about the world, answered as any other
    names = list(dict.fromkeys(name for name, _ in speakers))
    said = "; ".join(f'{name} said "{_quoted(text)}"' for name, text in speakers[-3:])
    return f"It was {_joined(names)}: {said}"


def _content_words(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text.lower()) if w not in _FILLER)


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[:_QUOTE_LIMIT].rsplit(" ", 1)[0] + "…"


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
