"""Replies in the shape a prompt asks for: named output fields, as sections or as a JSON object.

Prompt-programming frameworks tell the model how to lay its answer out and parse what comes back;
a reply of free prose fails their parser, so a test of such code could never get past the first
step. These layouts are followed, as a real model follows them:

* DSPy's adapters end the last user turn with the fields to fill, in order, each with its type:
  "Respond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, and
  then ending with the marker for `[[ ## completed ## ]]`." (sections), or "Respond with a JSON
  object in the following order of fields: `reasoning`, then `answer` (must be formatted as a valid
  Python int)." (JSON mode).
* smolagents' ``CodeAgent`` asks for a thought, then Python between two tags ("The code sequence must be
  opened with '<code>', and closed with '</code>'"), and a ``final_answer`` call to finish: the reply
  is one step that calls it.
* In JSON mode, a JSON Schema written into the prompt (LangChain's ``PydanticOutputParser`` format
  instructions: "…conforms to the JSON schema below. ```{"properties": …}```") is filled as a
  ``json_schema`` format would be.
"""

from __future__ import annotations

import ast
import json
import random
import re
from typing import Any, Callable, Iterable

from .prompt_values import fill
from .textgen import reply_text
from .understanding import facts

_ASK = re.compile(r"Respond with (?:the corresponding output fields, starting with the field|a JSON object in the "
                  r"following order of fields:)(.*)", re.S)
# One field of the ask: `name` or `[[ ## name ## ]]`, then optionally "(must be formatted as a valid Python <type>)".
_FIELD = re.compile(r"`(?:\[\[ ## )?(\w+)(?: ## \]\])?`(?: \(must be formatted as a valid Python (.+?)\))?(?=,|\.|$| and)")
_COMPLETED = "completed"
_CODE_TAGS = re.compile(r"code sequence must be opened with '([^'\n]+)', and closed with '([^'\n]+)'")
_SCHEMA_BLOCK = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.S)


def reply_as_asked(json_mode: bool, last: str, instructions: Callable[[], list[str]], r: random.Random, *,
                   code_agent: bool = True) -> str | None:
    """The reply's text in the layout the prompt asks for, or None when it asks none (the reply is prose then).

    ``last``: the last user turn; ``instructions``: the system and developer texts, read only when needed;
    ``code_agent``: whether to look for a code agent's prompt at all.
    """
    if json_mode:
        asked = json_reply([*instructions(), last], r)  # fields or a schema the prompt names
        return None if asked is None else json.dumps(asked, ensure_ascii=False)
    fields = asked_fields(last)
    if fields:
        return sections(fields, r)
    return code_step(instructions(), r) if code_agent else None


def asked_fields(prompt: str) -> list[tuple[str, str]] | None:
    """The output fields (name, Python type; ``str`` when none is given) a DSPy-style ask names, in order."""
    if "Respond with" not in prompt:
        return None  # most prompts: one substring test
    match = _ASK.search(prompt)
    if not match:
        return None
    fields = [(name, kind or "str") for name, kind in _FIELD.findall(match.group(1)) if name != _COMPLETED]
    return fields or None


def sections(fields: list[tuple[str, str]], r: random.Random) -> str:
    """The fields as ``[[ ## name ## ]]`` sections, then the completed marker."""
    parts = []
    for name, kind in fields:
        value = _value(kind, r)
        parts.append(f"[[ ## {name} ## ]]\n{value if isinstance(value, str) else json.dumps(value)}")
    parts.append(f"[[ ## {_COMPLETED} ## ]]")
    return "\n\n".join(parts)


def code_step(instructions: Iterable[str], r: random.Random) -> str | None:
    """A code agent's final step (thought, then ``final_answer(...)`` between the asked tags), or None when none is asked."""
    for text in instructions:
        if "final_answer" in text and "code sequence" in text:
            tags = _CODE_TAGS.search(text)
            if tags:
                answer = reply_text(r, "", (8, 24))
                return (f"Thought: {reply_text(r, '', (8, 16))}\n{tags.group(1)}\nfinal_answer({json.dumps(answer)})\n"
                        f"{tags.group(2)}")
    return None


def json_reply(prompts: Iterable[str], r: random.Random) -> dict[str, Any] | None:
    """The JSON object the prompts ask for (named fields, or a schema to conform to), or None when they ask none."""
    texts = [t for t in prompts if t]
    for text in reversed(texts):  # the last instruction wins
        fields = asked_fields(text)
        if fields:
            return {name: _value(kind, r) for name, kind in fields}
    for text in texts:
        schema = _schema_in(text)
        if schema is not None:
            return fill(schema, facts(texts[-1]), r)
    return None


def _schema_in(text: str) -> dict[str, Any] | None:
    if "```" not in text or '"properties"' not in text:
        return None
    for block in _SCHEMA_BLOCK.findall(text):
        try:
            schema = json.loads(block)
        except ValueError:
            continue
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            return {"type": "object", **schema}
    return None


def _value(kind: str, r: random.Random) -> Any:
    """A value of the Python type named ``kind`` (as DSPy writes it: ``int``, ``Literal['a', 'b']``, ``list[str]``)."""
    kind = kind.strip()
    base = kind.split("[", 1)[0].strip().lower()
    if base == "literal":
        try:
            options = ast.literal_eval(f"({kind[len('Literal['):-1]},)")
        except (ValueError, SyntaxError):
            options = ()
        if options:
            return options[r.randrange(len(options))]
    if base == "int":
        return r.randint(1, 100)
    if base == "float":
        return round(r.uniform(0, 100), 2)
    if base == "bool":
        return r.random() < 0.5
    if base in ("dict", "mapping"):
        return {}
    if base in ("list", "tuple", "set", "sequence"):
        inner = kind[kind.index("[") + 1:-1] if "[" in kind else "str"
        return [_value(inner, r) for _ in range(r.randint(1, 3))]
    return reply_text(r, "", (8, 24))
