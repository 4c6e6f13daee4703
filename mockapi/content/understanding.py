"""What a prompt states: the names it lists (places, people), numbers with units, dates, emails and
the thing it talks about, read with plain rules so the mock's answers can take the prompt's values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon, regions
from .people import with_people
from .quoted_names import Quoted, quoted_names

# A word ([A-Za-z][A-Za-z0-9']*) that also ends where camelCase starts a new one (a lower-case letter, then a
# capital): "getWeather" gives "get" and "Weather" in one findall ("_" and "-" split words anyway). Said without
# a look-behind per character: capitals (and digits) run on until lower case, and after lower case only a digit
# or an apostrophe lets capitals run again; the same words as r"[A-Za-z](?:[a-z0-9']|(?<![a-z])[A-Z])*".
_CAMEL_WORD = re.compile(r"(?:[A-Z][A-Z0-9']*|[a-z])[a-z]*(?:[0-9'][A-Z0-9']*[a-z]*)*")
_NAME_WORD = r"[A-Z](?:[\w'-]*\w)?"  # O'Brien and Jean-Luc, not the quote closing 'Ana Lima'
# A capital at a word boundary, said as "a capital not after a word character" once the capital is read: a pattern
# that opens with a character class lets the regex engine skip to the next capital in C instead of trying every position.
_NAME = re.compile(rf"[A-Z](?<!\w[A-Z])(?:[\w'-]*\w)?(?:\s+(?:de\s+)?{_NAME_WORD})*")
_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+|&\s*)?|\s+and\s+|\s+or\s+|\s*&\s*)$")
_GLUE_AFTER = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*")
_COMMA = re.compile(r"\s*,\s*")  # between a place and its region ("Paris, France"): a comma alone, no "and"
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|for|of|around|visit(?:ing)?|between)\s+(?:the\s+)?$", re.I)
_NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:[.,]\d+)*)(?:\s*(%|°\s*[cf]?|[a-zA-Z]+))?")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TIME = re.compile(r"\b(?:\d{1,2}:\d{2}\s*(?:am|pm)?|\d{1,2}\s*(?:am|pm))\b", re.I)
_LABEL = re.compile(r"\b(?:a|an|the)\s+((?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+?)(?=\s+(?:on|at|in|for|with|by|from|next|this|"
                    r"tomorrow|today|tonight|and|to|about)\b|[.,!?;]|$)")
_LABEL_SKIP = frozenset("weather forecast time lot bit way answer question user assistant following same next".split())
_DATE_WORDS = frozenset((*lexicon.WEEKDAYS, *lexicon.MONTHS))
_DAY_WORDS = tuple((word, re.compile(rf"\b(?:next\s+|this\s+)?{word}\b")) for word in (*lexicon.RELATIVE_DAYS, *lexicon.WEEKDAYS))
_DIGIT = re.compile(r"\d")
_IDENTIFIER = re.compile(r"(?<![\w.@-])(?:(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]*[A-Za-z0-9]|\d{3,})(?![\w@-]|\.\w)")
_MONTH_DAY = re.compile(rf"\b(?:{'|'.join(lexicon.MONTHS)})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b")


@lru_cache(maxsize=4096)  # a word's stem never changes and words recur: every prompt and tool name is stemmed
def stem(word: str) -> str:
    """A crude stem: lower case without common English suffixes, so "sunny", "forecasts" and "raining" meet their roots."""
    w = word.lower().strip("'")
    for suffix in ("ing", "ies", "es", "ed", "ly", "s", "y"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2]:
        w = w[:-1]  # "sunn" (sunny) -> "sun", "runn" -> "run"
    return w


def stems(text: str) -> set[str]:
    """The stems of the words of ``text``, splitting snake_case and camelCase names into words."""
    return set(map(stem, _CAMEL_WORD.findall(text)))


@lru_cache(maxsize=1)
def _concept_stems() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    out = {}
    for concept, words in lexicon.CONCEPTS.items():
        tool = frozenset(stem(w) for w in words["tool"])
        out[concept] = (tool, frozenset(stem(w) for w in words["prompt"]) | tool)
    return out


def concepts_of_tool(text: str) -> set[str]:
    """The concepts a tool's name and description words belong to."""
    return tool_concepts(stems(text))


def concepts_of_prompt(text: str) -> set[str]:
    """The concepts a prompt asks about, by any of their words."""
    return prompt_concepts(stems(text))


def tool_concepts(said: set[str]) -> set[str]:
    """:func:`concepts_of_tool` for words already stemmed."""
    return {c for c, (tool, _) in _concept_stems().items() if said & tool}


def prompt_concepts(said: set[str]) -> set[str]:
    """:func:`concepts_of_prompt` for words already stemmed."""
    return {c for c, (_, prompt) in _concept_stems().items() if said & prompt}


def asks_about(concept: str, said: set[str]) -> bool:
    """Whether words already stemmed ask about one concept (``concept in prompt_concepts(said)``, the others unread)."""
    return not said.isdisjoint(_concept_stems()[concept][1])


@dataclass(frozen=True)
class Name:
    """A name the prompt states, where it stands, and whether it reads as a place or a person."""

    text: str
    start: int
    end: int
    kind: str  # "place", "person" or "name"


_UNREAD = object()


class Facts:
    """Everything a prompt states that an answer may reuse.

    Each kind is read the first time it is asked for: a tool call with one location property needs the
    names alone, not the dates, times, numbers and label searches. Reading is idempotent, so two threads
    reading the same (cached) facts at once at worst both read it and keep equal values.
    """

    __slots__ = ("prompt", "_names", "_places", "_quoted", "_numbers", "_dates", "_times", "_emails", "_label", "_identifiers")

    def __init__(self, prompt: str) -> None:
        self.prompt = prompt
        self._names: list[Name] | None = None
        self._places: list[Name] | None = None
        self._quoted: Quoted | None = None
        self._numbers: list[tuple[float, str]] | None = None
        self._dates: list[str] | None = None
        self._times: list[str] | None = None
        self._emails: list[str] | None = None
        self._label: object = _UNREAD
        self._identifiers: list[str] | None = None

    @property
    def names(self) -> list[Name]:
        """The names the prompt lists, in order."""
        if self._names is None:
            self._names = _names(self.prompt)
        return self._names

    @property
    def places(self) -> list[Name]:
        """:attr:`names` with the regions after a place's commas joined to it: "San Francisco, CA" is one place."""
        if self._places is None:
            self._places = _with_regions(self.names, self.prompt) if "," in self.prompt else self.names
        return self._places

    @property
    def quoted(self) -> Quoted:
        """The names the prompt quotes after "named" or "called" ("a customer named '你好啊集团'"), and what the first is."""
        if self._quoted is None:
            self._quoted = quoted_names(self.prompt)
        return self._quoted

    @property
    def emails(self) -> list[str]:
        """The email addresses the prompt states."""
        if self._emails is None:
            self._emails = _EMAIL.findall(self.prompt) if "@" in self.prompt else []  # an email needs its "@"
        return self._emails

    @property
    def dates(self) -> list[str]:
        """ISO dates, day words ("next Tuesday") and month days, in prompt order."""
        if self._dates is None:
            self._dates = _dates(self.prompt)
        return self._dates

    @property
    def times(self) -> list[str]:
        """Times of day ("3pm", "14:30")."""
        if self._times is None:
            self._times = _TIME.findall(self.prompt) if _DIGIT.search(self.prompt) is not None else []
        return self._times

    @property
    def numbers(self) -> list[tuple[float, str]]:
        """(value, the word after it) for every number that is not part of a date, a time or an email."""
        if self._numbers is None:
            self._numbers = _numbers(self.prompt, bool(self.emails))
        return self._numbers

    @property
    def identifiers(self) -> list[str]:
        """Tokens that read as identifiers: letters with digits ("ZX-123", "customer_42") or 3+ digits ("10045")."""
        if self._identifiers is None:
            found = _IDENTIFIER.findall(self.prompt) if _DIGIT.search(self.prompt) is not None else []
            self._identifiers = [t for t in found if not _TIME.fullmatch(t)]  # "3pm" is a time
        return self._identifiers

    @property
    def label(self) -> str | None:
        """The thing the prompt talks about ("a birthday party"), if it names one."""
        if self._label is _UNREAD:
            self._label = _label(self.prompt)
        return self._label  # type: ignore[return-value]

    def of_kind(self, kind: str, *, with_regions: bool = False) -> list[str]:
        """The names of one kind, in order, without duplicates (``with_regions``: read from :attr:`places`)."""
        names = self.places if with_regions else self.names
        return list(dict.fromkeys(n.text for n in names if n.kind == kind)) if names else []

    @property
    def name_texts(self) -> list[str]:
        """Every stated name, in order, without duplicates."""
        return list(dict.fromkeys(n.text for n in self.names))


def listed(names: list[Name], prompt: str) -> list[Name]:
    """The names ``prompt`` lists together ("London, Paris and Tokyo"): its longest such run, else its first name.

    Names apart ("Paris is the capital of France") are not a list: one thing is asked about, not several.
    """
    runs: list[list[Name]] = []
    for name in names:
        if runs and _LIST_GLUE.match(prompt[runs[-1][-1].end:name.start]):
            runs[-1].append(name)
        else:
            runs.append([name])
    longest = max(runs, key=len, default=[])
    return longest if len(longest) > 1 else names[:1]


def _known(phrase: str) -> str | None:
    low = phrase.lower()
    if low in lexicon.PLACE_PHRASES or low in lexicon.PLACES:
        return "place"
    if low in lexicon.PEOPLE:
        return "person"
    return None


def _trim(words: list[str]) -> list[str]:
    """Drop capitalised common words (What, Weather, Please...) and date words from a name's edges."""
    while words and (words[0].lower() in lexicon.NOT_NAMES or words[0].lower() in _DATE_WORDS):
        words = words[1:]
    while words and (words[-1].lower() in lexicon.NOT_NAMES or words[-1].lower() in _DATE_WORDS):
        words = words[:-1]
    return words


def _names(prompt: str) -> list[Name]:
    found: list[Name] = []
    for match in _NAME.finditer(prompt):
        words = match.group().split()
        at_start = _starts_sentence(prompt, match.start())
        offset = match.start()
        trimmed = _trim(words)
        if trimmed != words and trimmed:
            offset = prompt.index(trimmed[0], offset)
            at_start = False if trimmed[0] != words[0] else at_start
        if not trimmed:
            continue
        text = " ".join(trimmed)
        kind = _known(text)
        if at_start and kind is None and len(trimmed) > 1:
            # "Meet Dana": an unknown capitalised opener, then the name.
            trimmed, at_start = trimmed[1:], False
            offset = prompt.index(trimmed[0], offset + 1)
            text = " ".join(trimmed)
            kind = _known(text)
        end = offset + len(text)
        if at_start and kind is None:
            glue = _glue_after(prompt, end)
            if not glue or not _NAME.match(prompt, end + len(glue)):
                continue  # a capitalised word starting a sentence, not known as a name: most likely not one
        look_back = prompt[max(0, offset - 24):offset]  # a short look back keeps long prompts linear
        if kind is None and found and _LIST_GLUE.match(prompt[found[-1].end:offset]):
            kind = found[-1].kind if found[-1].kind != "name" else None
        if kind is None and _PLACE_BEFORE.search(look_back):
            kind = "place"
        found.append(Name(text, offset, end, kind or "name"))
    found = with_people(found, prompt, Name)  # "jason is 25", "Jason is 20": people without a name's capital
    # An unknown member of a list takes the kind of a known neighbour ("Zed and Alice", "in Qom, Oslo").
    for i in reversed(range(1, len(found))):
        before, after = found[i - 1], found[i]
        if before.kind == "name" and after.kind != "name" and _LIST_GLUE.match(prompt[before.end:after.start]):
            found[i - 1] = Name(before.text, before.start, before.end, after.kind)
    return found


def _starts_sentence(prompt: str, at: int) -> bool:
    """Whether position ``at`` opens the prompt, a sentence or a quotation (looking back past spaces and quotes)."""
    k = at - 1
    while k >= 0 and prompt[k] in " \t\"'(":
        k -= 1
    return k < 0 or prompt[k] in ".!?:;\n"


def _glue_after(prompt: str, end: int) -> str:
    match = _GLUE_AFTER.match(prompt, end)
    return match.group() if match else ""


def _with_regions(names: list[Name], prompt: str) -> list[Name]:
    """``names`` with the regions after a place's commas joined to it ("San Francisco, CA", "Austin, Texas, USA").

    A region joins a narrower name (a state or a country after a city, a country after a state); a name as wide as the
    one before it starts a list ("Paris, London", "Texas, California"). A region that is also a city ("New York") is a
    list's next city when a plain city follows it in the list ("San Francisco, New York and Boston").
    """
    out: list[Name] = []
    i = 0
    while i < len(names):
        name, i = names[i], i + 1
        end, last, reach = name.end, name.text, -1  # how wide it reaches: read once a region may join it
        while name.kind != "person" and _COMMA.match(prompt, end):  # most names have no comma after them
            code = regions.code_after(prompt, end, last)
            if code is not None:
                last, reach, end = code.group(1), regions.STATE, code.end(1)
                while i < len(names) and names[i].start < end:
                    i += 1  # the "D" and "C" of "D.C."
                continue
            if i == len(names) or not _COMMA.fullmatch(prompt, end, names[i].start):
                break
            wider, reach = regions.width(names[i].text), regions.width(last) if reach < 0 else reach
            if wider <= reach or (names[i].text.lower() in regions.CITY_REGIONS and _lists_on(names, i + 1, prompt)):
                break
            last, reach, end, i = names[i].text, wider, names[i].end, i + 1
        out.append(name if end == name.end else Name(prompt[name.start:end], name.start, end, "place"))
    return out


def _lists_on(names: list[Name], k: int, prompt: str) -> bool:
    """Whether ``names[k]`` is listed after the name before it and is a plain place, with no region after its comma."""
    if k >= len(names) or not _LIST_GLUE.match(prompt[names[k - 1].end:names[k].start]):
        return False
    after = names[k]
    if regions.code_after(prompt, after.end, after.text) is not None:
        return False
    return not (k + 1 < len(names) and _COMMA.fullmatch(prompt, after.end, names[k + 1].start)
                and regions.width(names[k + 1].text) > regions.width(after.text))


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@lru_cache(maxsize=64)
def facts(prompt: str) -> Facts:
    """What ``prompt`` states, read once (cached: callers only read it), each kind on first use."""
    return Facts(prompt)


def _dates(prompt: str) -> list[str]:
    # A date, a time or a number needs a digit: most prompts skip those searches.
    digits = _DIGIT.search(prompt) is not None
    dates = _ISO_DATE.findall(prompt) if digits else []
    low = prompt.lower()
    for word, pattern in _DAY_WORDS:
        if word in low:  # no pattern can match without its word: most prompts name no day
            for match in pattern.finditer(low):
                dates.append(prompt[match.start():match.end()])
    for match in _MONTH_DAY.finditer(low) if digits else ():
        dates.append(prompt[match.start():match.end()])
    return sorted(dict.fromkeys(dates), key=prompt.find)


def _numbers(prompt: str, has_emails: bool) -> list[tuple[float, str]]:
    if _DIGIT.search(prompt) is None:
        return []
    without_dates = _ISO_DATE.sub(" ", _EMAIL.sub(" ", prompt) if has_emails else prompt)
    numbers = []
    for match in _NUMBER.finditer(_TIME.sub(" ", without_dates)):
        try:
            value = _number(match.group(1))
        except ValueError:
            continue
        numbers.append((value, (match.group(2) or "").lower().replace(" ", "")))
    return numbers


def _label(prompt: str) -> str | None:
    label = _LABEL.search(prompt)
    while label and (label.group(1).split()[-1] in _LABEL_SKIP or label.group(1).split()[0] in ("few", "couple", "lot")):
        label = _LABEL.search(prompt, label.end())
    return label.group(1) if label else None


@lru_cache(maxsize=1024)
def _option_patterns(option: str) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """An enum option named as a whole word, and (longer than three letters) as a word's start: compiled once
    per option (a client sends the same enums again and again; re's own cache lookup cost more than the search)."""
    words = option.lower().replace("_", " ")
    whole = re.compile(rf"(?<![\w-]){re.escape(words)}(?![\w-])")
    return whole, re.compile(rf"(?<![\w-]){re.escape(words)}\w*") if len(words) > 3 else None


def enum_stated(options: list, prompt: str) -> object | None:
    """The first enum option (in prompt order) the prompt names as a word, if any."""
    low = prompt.lower()
    best: tuple[int, int, object] | None = None
    for i, option in enumerate(options):
        if not isinstance(option, str) or not option.strip():
            continue
        whole, prefix = _option_patterns(option)
        match = whole.search(low)
        if match is None and prefix is not None:
            match = prefix.search(low)
        if match and (best is None or (match.start(), i) < best[:2]):
            best = (match.start(), i, option)
    return best[2] if best else None
