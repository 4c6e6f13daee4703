"""Deciding tool calls deterministically: which tools the prompt refers to, and their arguments.

``auto`` calls a tool when the prompt mentions it (a word of its name or description);
``required`` always calls one; a forced name calls exactly that tool. With parallel calls
allowed, one call is made per entity the prompt lists ("London, Paris, and Tokyo").
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .custom_input import custom_input
from .instances import instance

_STOPWORDS = {"get", "set", "fetch", "the", "a", "an", "of", "for", "to", "and", "or", "in", "on", "by", "with",
              "function", "tool", "call", "use", "run", "do", "make", "is", "be", "it", "this", "that", "current",
              "returns", "return", "given", "specified", "from", "about", "data", "info", "information", "value"}
_ENTITY = re.compile(r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'-]*)")
_QUESTION_WORDS = {"What", "What's", "How", "Who", "Where", "When", "Which", "Why", "Can", "Could", "Please", "I",
                   "Tell", "Give", "Is", "Are", "Do", "Does", "Let", "Find", "Get", "Show", "Compare", "Call", "Use"}
_STRING_HINTS = ("location", "city", "query", "q", "name", "place", "country", "topic", "search", "term", "symbol", "ticker")


@dataclass(frozen=True)
class ToolSpec:
    """A function tool as the engine sees it, whatever API shape it came in."""

    name: str
    description: str = ""
    parameters: Any = None
    strict: bool = False
    kind: str = "function"


@dataclass(frozen=True)
class PlannedCall:
    """One tool call the mock will make."""

    tool: ToolSpec
    arguments: str


def _words(text: str) -> set[str]:
    split = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return {w for w in re.findall(r"[a-z0-9]+", split.lower()) if w not in _STOPWORDS and len(w) > 2}


def relevance(tool: ToolSpec, prompt: str) -> int:
    """How many of the tool's name words (x2) and description words the prompt mentions."""
    said = _words(prompt)
    stems = {w[:5] for w in said}
    name_hits = sum(1 for w in _words(tool.name) if w in said or w[:5] in stems)
    desc_hits = sum(1 for w in _words(tool.description) if w in said)
    return 2 * name_hits + (1 if desc_hits >= 2 else 0)


def entities(prompt: str) -> list[str]:
    """Proper names the prompt lists, in order, without duplicates."""
    starts = {m.group(1) for m in _SENTENCE_START.finditer(prompt)}
    found: list[str] = []
    for match in _ENTITY.finditer(prompt):
        words = match.group().split()
        while words and (words[0] in _QUESTION_WORDS or (words[0] in starts and len(found) == 0 and words[0] in _QUESTION_WORDS)):
            words = words[1:]
        value = " ".join(words)
        if value and value not in found and value not in _QUESTION_WORDS:
            found.append(value)
    return found


def _main_string_property(parameters: Any) -> str | None:
    if not isinstance(parameters, dict):
        return None
    props = parameters.get("properties") or {}
    plain = [n for n, s in props.items() if isinstance(s, dict) and s.get("type") in ("string", ["string", "null"])
             and "enum" not in s and "format" not in s]
    for hint in _STRING_HINTS:
        for name in plain:
            if hint == name.lower() or name.lower().endswith(hint):
                return name
    return plain[0] if plain else None


def arguments_for(tool: ToolSpec, r: random.Random, entity: str | None) -> str:
    """JSON arguments that validate against the tool's parameters, naming ``entity`` where it fits."""
    if tool.kind == "custom":
        return custom_input(tool.parameters, entity or "", r)
    hints = {}
    main = _main_string_property(tool.parameters)
    if entity and main:
        hints[main] = entity
    value = instance(tool.parameters, r, hints=hints) if isinstance(tool.parameters, dict) and tool.parameters else {}
    if not isinstance(value, dict):
        value = {}
    return json.dumps(value, separators=(",", ":"))


def plan_calls(tools: list[ToolSpec], choice: Any, parallel: bool, prompt: str, r: random.Random) -> list[PlannedCall]:
    """The calls to make for ``prompt`` under ``tool_choice`` ``choice`` (a mode string or a forced name)."""
    if not tools or choice == "none":
        return []
    if isinstance(choice, str) and choice not in ("auto", "required"):
        chosen = [t for t in tools if t.name == choice]
    else:
        scored = sorted(((relevance(t, prompt), i, t) for i, t in enumerate(tools)), key=lambda x: (-x[0], x[1]))
        if choice == "required":
            chosen = [t for s, _, t in scored if s > 0] or [scored[0][2]]
        else:
            chosen = [t for s, _, t in scored if s > 0]
        if not parallel:
            chosen = chosen[:1]
    if not chosen:
        return []
    names = entities(prompt)
    calls: list[PlannedCall] = []
    for tool in chosen:
        targets: list[str | None] = list(names) if (parallel and len(names) > 1 and _main_string_property(tool.parameters)) else [names[0] if names else None]
        for entity in targets:
            arguments = custom_input(tool.parameters, prompt, r) if tool.kind == "custom" else arguments_for(tool, r, entity)
            calls.append(PlannedCall(tool, arguments))
    return calls if parallel else calls[:1]


def split_fragments(text: str, r: random.Random, low: int = 2, high: int = 9) -> list[str]:
    """``text`` cut at seeded arbitrary points (inside tokens, strings and escapes alike)."""
    out, i = [], 0
    while i < len(text):
        step = r.randint(low, high)
        out.append(text[i : i + step])
        i += step
    return out


def names(tools: Iterable[ToolSpec]) -> list[str]:
    """The tools' names."""
    return [t.name for t in tools]
