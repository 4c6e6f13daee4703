"""Deciding tool calls deterministically: which tools the prompt refers to, and their arguments.

One selection serves Chat, Responses and Assistants runs. ``auto`` calls a tool when the prompt
refers to it: by a word of its name or description (stemmed, snake/camel case split) or by a
concept word the lexicon ties to it ("umbrella" -> a weather tool); ``required`` always calls one;
a forced name calls exactly that tool. With parallel calls allowed, one call is made per entity the
prompt lists ("London, Paris, and Tokyo"). Arguments take the values the prompt states first.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Iterable

from mockapi.core.compiled import interpreted_class
from mockapi.core.determinism import between
from mockapi.core.jsonutil import standard_json

from . import lexicon
from .arithmetic import Expression, expressions, tool_operation, worked_out
from .custom_input import custom_input
from .prompt_values import as_place, fill, given_values
from .understanding import (
    Facts,
    asks_about,
    facts,
    listed,
    stem,
    stems,
    tool_concepts,
)

# Words too common in tool names, descriptions and prompts to say which tool a prompt means.
_COMMON = {stem(w) for w in (
    "get set fetch the a an of for to and or in on by with function tool call use run do make is be it this that "
    "current returns return given specified from about data info information value values user api new list "
    "retrieve provide provides using specific based any all some one what how who where when which why me my you "
    "your can could would please tell give are was were does did will i").split()}
_STRING_HINTS = (*lexicon.LOCATION_PROPS, "query", "q", "name", "topic", "search", "term", "symbol", "ticker")
# A lone string property by one of these names takes the user's request itself: the Agents SDK's
# agent-as-tool takes ``input``, and a model passes the sub-agent the question it was asked.
_REQUEST_PROPS = ("input", "question", "prompt", "request", "task")
# json.dumps with options would build an encoder per call. Not ASCII: a model writes "你好" itself, never "\u4f60\u597d".
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_ESCAPED = json.JSONEncoder(separators=(",", ":"))  # for a lone surrogate ("\ud800" in a prompt), which UTF-8 cannot carry


@interpreted_class  # it sets its fields through __dict__ (see mockapi/core/compiled.py)
@dataclass(frozen=True, init=False)
class ToolSpec:
    """A function tool as the engine sees it, whatever API shape it came in.

    What is read from its parameters (its main string property...) is read on first use and kept: a
    Responses request reuses the specs of tools it has seen (mockapi/api/responses/request.py).
    """

    name: str
    description: str = ""
    parameters: Any = None
    strict: bool = False
    kind: str = "function"

    def __init__(self, name: str, description: str = "", parameters: Any = None, strict: bool = False,
                 kind: str = "function") -> None:
        # One update of the instance's dict: a frozen dataclass's own __init__ makes an object.__setattr__ call per
        # field, and tools are read on every request. Still frozen to everyone else.
        self.__dict__.update(name=name, description=description, parameters=parameters, strict=strict, kind=kind)

    @cached_property
    def main_property(self) -> str | None:
        """The string property a call's entity goes to (a location, a query, a name...), if it has one."""
        return _main_string_property(self.parameters)

    @cached_property
    def request_property(self) -> str | None:
        """The only property, when it is a plain string named like a request to pass on (an agent-as-tool's ``input``)."""
        return _request_property(self.parameters)


@interpreted_class  # as ToolSpec
@dataclass(frozen=True, init=False)
class PlannedCall:
    """One tool call the mock will make."""

    tool: ToolSpec
    arguments: str

    def __init__(self, tool: ToolSpec, arguments: str) -> None:
        self.__dict__.update(tool=tool, arguments=arguments)  # as ToolSpec: no object.__setattr__ per field


def _meaningful(stemmed: set[str]) -> set[str]:
    """The stems that can say which tool is meant (no common or one- and two-letter words)."""
    return {w for w in stemmed - _COMMON if len(w) > 2}


class _Said:
    """What a prompt says that relevance reads, stemmed once however many tools it is scored against."""

    def __init__(self, prompt: str, tools: Iterable[ToolSpec] = ()) -> None:
        # Only the stems themselves: a tool's words are meaningful ones already, so what they share with the
        # prompt's stems is what they share with its meaningful stems.
        self.stems = stems(prompt)
        self.sums = _sums(prompt, tools)  # "5 * 4": no word in it names the tool that works it out
        self._asked: dict[str, bool] = {}

    def asks_about_any(self, concepts: frozenset[str]) -> bool:
        """Whether the prompt asks about one of a tool's concepts (each concept read once, the others not at all)."""
        asked = self._asked
        for concept in concepts:
            found = asked.get(concept)
            if found is None:
                found = asked[concept] = asks_about(concept, self.stems)
            if found:
                return True
        return False


def relevance(tool: ToolSpec, prompt: str) -> int:
    """How strongly the prompt refers to the tool: name words x2, a shared concept x2, description words."""
    return _relevance(tool, _Said(prompt, (tool,)))


def _sums(prompt: str, tools: Iterable[ToolSpec]) -> tuple[Expression, ...]:
    """The sums ``prompt`` writes out, looked for only when an arithmetic tool is offered (a name lookup each)."""
    return expressions(prompt) if any(tool_operation(t.name) for t in tools) else ()


def _relevance(tool: ToolSpec, said: _Said) -> int:
    name_words, description_words, of_tool = _tool_words(tool.name, tool.description)
    name_hits = len(name_words & said.stems)
    desc_hits = len(description_words & said.stems)
    concept = bool(of_tool) and said.asks_about_any(of_tool)
    score = 2 * name_hits + 2 * concept + (1 if desc_hits >= 2 else 0)
    if said.sums:  # an arithmetic tool for a sum the prompt writes out ranks first, in the order the sums come
        done = worked_out(tool.name, tool.parameters, said.sums)
        if done:
            score += 4 * len(said.sums) - said.sums.index(done[0])
    return score


@lru_cache(maxsize=512)  # a client sends the same tools with every request
def _tool_words(name: str, description: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """A tool's meaningful name stems, the description's other meaningful stems, and the tool's concepts."""
    name_stems, description_stems = stems(name), stems(description)
    name_words = frozenset(_meaningful(name_stems))
    # The words of "name description" are the name's and the description's: a space splits every word.
    description_words = frozenset(_meaningful(description_stems) - name_words)
    return name_words, description_words, frozenset(tool_concepts(name_stems | description_stems))


def _main_string_property(parameters: Any) -> str | None:
    if not isinstance(parameters, dict):
        return None
    props = parameters.get("properties") or {}
    plain = [(n, n.lower()) for n, s in props.items() if isinstance(s, dict) and s.get("type") in ("string", ["string", "null"])
             and "enum" not in s and "format" not in s]
    for hint in _STRING_HINTS if plain else ():
        for name, low in plain:
            if low.endswith(hint):  # the hint itself or a name ending with it
                return name
    return None


def _request_property(parameters: Any) -> str | None:
    """The tool's only property when it is a plain string named like a request to pass on."""
    props = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(props, dict) or len(props) != 1:
        return None
    [(name, spec)] = props.items()
    plain = isinstance(spec, dict) and spec.get("type") == "string" and "enum" not in spec and "format" not in spec
    return name if plain and name.lower() in _REQUEST_PROPS else None


def _targets(main: str | None, said: Facts) -> list[str]:
    """The entities one call each goes to (``main``: the tool's main string property): what the prompt gives it in so
    many words (``customer_name='Acme'``, "a customer named 'Acme'"), else the places listed together for a location
    property ("Austin, TX and Boston, MA": a place with its region is one), else the names listed together (one name
    when none are)."""
    if not main:
        return []
    given = given_values(main, said)
    if given:
        return given
    names = said.places
    if main.lower().endswith(lexicon.LOCATION_PROPS):  # one of them, or a name ending with one
        names = [n for n in names if n.kind == "place"] or [n for n in names if n.kind == "name"]
    return list(dict.fromkeys(as_place(main, n.text) for n in listed(names, said.prompt)))


def arguments_for(tool: ToolSpec, r: random.Random, entity: str | None, prompt: str = "") -> str:
    """JSON arguments that validate against the tool's parameters: stated values first, ``entity`` where it fits.

    A custom tool takes a free string instead: one that fits its grammar, from the prompt.
    """
    if tool.kind == "custom":
        return custom_input(tool.parameters, prompt or entity or "", r)
    return _arguments(tool, r, entity, prompt, tool.main_property)


def _arguments(tool: ToolSpec, r: random.Random, entity: str | None, prompt: str, main: str | None) -> str:
    """:func:`arguments_for` a function tool whose main string property is already known."""
    focus = (main, entity) if entity and main else (tool.request_property, prompt) if prompt and tool.request_property else None
    value = fill(tool.parameters, facts(prompt), r, focus=focus) if isinstance(tool.parameters, dict) and tool.parameters else {}
    if not isinstance(value, dict):
        value = {}
    try:
        return standard_json(value, _COMPACT, parsed=False).decode()  # filled values, not parsed: a NaN is possible
    except UnicodeEncodeError:
        return _ESCAPED.encode(value)


def select(tools: list[ToolSpec], choice: Any, parallel: bool, prompt: str) -> list[ToolSpec]:
    """The tools ``prompt`` calls under ``tool_choice`` ``choice`` (a mode string or a forced name), best first."""
    if not tools or choice == "none":
        return []
    if isinstance(choice, str) and choice not in ("auto", "required"):
        return [t for t in tools if t.name == choice]
    said = _Said(prompt, tools)
    scores = [_relevance(t, said) for t in tools]
    ranked = sorted(range(len(tools)), key=lambda i: -scores[i]) if len(tools) > 1 else [0]  # stable: ties keep their order
    chosen = [tools[i] for i in ranked if scores[i] > 0]
    if choice == "required" and not chosen:
        chosen = [tools[ranked[0]]]
    return chosen if parallel else chosen[:1]


def plan_calls(tools: list[ToolSpec], choice: Any, parallel: bool, prompt: str, r: random.Random) -> list[PlannedCall]:
    """The calls to make for ``prompt`` under ``tool_choice`` ``choice`` (a mode string or a forced name)."""
    return plan_chosen(select(tools, choice, parallel, prompt), parallel, prompt, r)


def plan_chosen(chosen: list[ToolSpec], parallel: bool, prompt: str, r: random.Random) -> list[PlannedCall]:
    """The calls to make to the tools :func:`select` chose (at least one call each when any is chosen).

    Apart from :func:`plan_calls` so a caller can make its ``r`` only once a tool is called: seeding a
    ``random.Random`` costs as much as choosing the tools.
    """
    if not chosen:
        return []  # the prompt calls nothing: what it states is not needed
    said = facts(prompt)
    sums = _sums(prompt, chosen)
    calls: list[PlannedCall] = []
    for tool in chosen:
        done = worked_out(tool.name, tool.parameters, sums) if sums and tool.kind == "function" else []
        if done:  # one call per sum it works out, each with that sum's operands
            calls += [PlannedCall(tool, _arguments(tool, r, None, e.text, None)) for e in (done if parallel else done[:1])]
            continue
        main = tool.main_property
        targets = _targets(main, said)
        per_call: list[str | None] = [*targets] if parallel and len(targets) > 1 else [targets[0] if targets else None]
        for entity in per_call:
            arguments = arguments_for(tool, r, entity, prompt) if tool.kind == "custom" else _arguments(tool, r, entity, prompt, main)
            calls.append(PlannedCall(tool, arguments))
    return calls if parallel else calls[:1]


def split_fragments(text: str, r: random.Random, low: int = 2, high: int = 9) -> list[str]:
    """``text`` cut at seeded arbitrary points (inside tokens, strings and escapes alike)."""
    out, i = [], 0
    while i < len(text):
        step = between(r, low, high)
        out.append(text[i : i + step])
        i += step
    return out


def handed_off(answered: set[str], offered: Iterable[ToolSpec]) -> bool:
    """Whether none of the tools whose results just came back is offered any more: another agent took over.

    The follow-up turn of a tool loop answers rather than call again; but the Agents SDK hands off by
    a ``transfer_to_<agent>`` call, and the next request comes from the new agent with its own tools,
    which the model then uses on the user's request.
    """
    return bool(answered) and not answered & {t.name for t in offered}


def names(tools: Iterable[ToolSpec]) -> list[str]:
    """The tools' names."""
    return [t.name for t in tools]
