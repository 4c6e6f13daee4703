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
* In JSON mode, keys the prompt names in prose ("Return the result as a JSON with 'setup' and 'punchline'
  keys", LangChain's standard tests; "a JSON object with keys name, country and population") are the
  object's keys, each with a sentence of text. Quoted names count before or after the word for them (keys,
  fields, properties), and two or more after "containing" or "JSON … with"; names without quotes only after
  that word, as a whole list that ends the clause, so that prose ("fields of study") names none.
"""

from __future__ import annotations

import ast
import json
import random
import re
from typing import Any, Callable, Iterable

from mockapi.core.determinism import below, between

from .cues import says_any
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

# Keys named in prose (JSON mode only). A key is an identifier; a list of them is joined by commas and "and" ("or"
# offers values, as in "answer with 'yes' or 'no'", not keys), and holds at most 32: a list is tried from each of its
# names, so an unbounded one made a long run of quoted words cost quadratic time.
_KEY = r"[A-Za-z_][\w-]*"
_QUOTED_KEY = rf"(?:'{_KEY}'|\"{_KEY}\"|`{_KEY}`|“{_KEY}”)"
_GLUE = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
_KEY_WORD = r"(?:keys?|fields?|propert(?:y|ies)|attributes?)"
_BARE_KEY_WORD = r"(?:keys|fields|properties|attributes)"
_CLAUSE_END = r"(?=[.;!?\n)]|$)"
_OPEN_QUOTE, _CLOSE_QUOTE = "[`'\"\u201c]?", "[`'\"\u201d]?"  # around a name, if any
_INLINE_ITEM = re.compile(rf"(?:^|{_GLUE}){_OPEN_QUOTE}({_KEY})")
_BULLET_ITEM = re.compile(rf"^[ \t]*[-*•][ \t]+{_OPEN_QUOTE}({_KEY})", re.M)
# (where a list of keys stands, how its names are read from the list)
_PROSE_KEY_LISTS = (
    # Quoted names, then the word for them: "a JSON with 'setup' and 'punchline' keys", "a single 'verdict' key".
    (re.compile(rf"({_QUOTED_KEY}(?:{_GLUE}{_QUOTED_KEY}){{0,31}})\s+(?:json\s+)?{_KEY_WORD}\b", re.I), _INLINE_ITEM),
    # The word, then quoted names: "keys 'a' and 'b'", "the keys: `a`, `b`", 'fields named "a" and "b"'.
    (re.compile(rf"\b{_KEY_WORD}(?:\s+(?:named|called|are))?\s*:?\s*({_QUOTED_KEY}(?:{_GLUE}{_QUOTED_KEY}){{0,31}})", re.I),
     _INLINE_ITEM),
    # A verb of having (after "JSON", for "with" and "has"), then two or more quoted names: "a JSON object containing
    # 'question' and 'answer'", "a JSON with 'a' and 'b'".
    (re.compile(rf"(?:\b(?:json|object|dict(?:ionary)?)\b[^.!?\n]{{0,40}}?\b(?:with|has)|\b(?:containing|contains?|including|"
                rf"includes?|having))\s+(?:the\s+|both\s+)?({_QUOTED_KEY}(?:{_GLUE}{_QUOTED_KEY}){{1,31}})", re.I), _INLINE_ITEM),
    # The plural word, then bare names that end the clause: after "named", "are" or a colon ("the keys: name, age."), or
    # two or more ("a JSON object with keys name, country and population."); one bare word ("sort the keys
    # alphabetically.") is prose.
    (re.compile(rf"\b{_BARE_KEY_WORD}(?:[ \t]+(?:named|called|are)[ \t]*:?|[ \t]*:)[ \t]*({_KEY}(?:{_GLUE}{_KEY}){{0,31}})[ \t]*"
                rf"{_CLAUSE_END}", re.I), _INLINE_ITEM),
    (re.compile(rf"\b{_BARE_KEY_WORD}[ \t]+({_KEY}(?:{_GLUE}{_KEY}){{1,31}})[ \t]*{_CLAUSE_END}", re.I), _INLINE_ITEM),
    # A bulleted list under a line naming the word: "with the following fields:\n- title: the title\n- tags: …".
    (re.compile(rf"\b{_KEY_WORD}\b[^\n]{{0,80}}:[ \t]*\n((?:[ \t]*[-*•][ \t]+{_OPEN_QUOTE}{_KEY}{_CLOSE_QUOTE}(?:[ \t]*[:(—–-][^\n]*)?[ \t]*"
                rf"(?:\n|$))+)", re.I), _BULLET_ITEM),
)
_MAY_NAME_KEYS = re.compile("key|field|propert|attribut|['\"`\u201c]", re.I)
_NAMING_KEYS = ("key", "field", "propert", "attribut", "'", '"', "`")  # what that search needs in ASCII text, for says_any
# Bare words that end a clause after "keys" without being keys ("the fields below.", "keys and wallets").
_NOT_KEYS = frozenset("and or the an that this these those which it them is are be of to in on for with as by from below "
                      "above following only etc you your we our they their here there".split())


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
    """The JSON object the prompts ask for (named fields, a schema to conform to, or keys named in prose; in that
    order), or None when they ask none."""
    texts = [t for t in prompts if t]
    for text in reversed(texts):  # the last instruction wins
        fields = asked_fields(text)
        if fields:
            return {name: _value(kind, r) for name, kind in fields}
    for text in texts:
        schema = _schema_in(text)
        if schema is not None:
            return fill(schema, facts(texts[-1]), r)
    for text in reversed(texts):
        keys = prose_keys(text)
        if keys:
            return {key: _value("str", r) for key in keys}
    return None


def prose_keys(text: str) -> list[str] | None:
    """The JSON keys ``text`` names in prose ("a JSON with 'setup' and 'punchline' keys"), in order, or None."""
    if not says_any(text, _NAMING_KEYS) or not _MAY_NAME_KEYS.search(text):
        return None  # no word for keys and no quote: nothing can be named
    found: list[tuple[int, str]] = []
    for pattern, item in _PROSE_KEY_LISTS:
        for match in pattern.finditer(text):
            names = [(match.start(1) + m.start(1), m.group(1)) for m in item.finditer(match.group(1))]
            if not any(name.lower() in _NOT_KEYS for _, name in names):
                found.extend(names)
    keys = list(dict.fromkeys(name for _, name in sorted(found)))
    return keys or None


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
            return options[below(r, len(options))]
    if base == "int":
        return between(r, 1, 100)
    if base == "float":
        return round(r.uniform(0, 100), 2)
    if base == "bool":
        return r.random() < 0.5
    if base in ("dict", "mapping"):
        return {}
    if base in ("list", "tuple", "set", "sequence"):
        inner = kind[kind.index("[") + 1:-1] if "[" in kind else "str"
        return [_value(inner, r) for _ in range(between(r, 1, 3))]
    return reply_text(r, "", (8, 24))
