"""The free-form input of a custom tool call, shaped by the tool's ``format``.

A custom tool (Chat ``{"type": "custom", "custom": {...}}`` or Responses ``{"type": "custom", ...}``)
takes a string, not JSON. Its ``format`` is unconstrained text or a grammar (``regex`` or ``lark``).
The mock writes a string that matches the grammar where it can: regexes are walked with the
standard library's own regex parser (``re._parser``; the grammar syntax is Rust-regex-like and the
common constructs are shared), Lark grammars by expanding the first alternative of every rule from
``start``. Both are best effort: an input is always produced, never an error.
"""

from __future__ import annotations

import random
import re
from typing import Any

try:  # Python 3.11+ keeps the parser here; older versions expose it as sre_parse.
    from re import _constants as _regex_ops  # type: ignore[attr-defined]
    from re import _parser as _regex_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _regex_ops  # type: ignore[no-redef]
    import sre_parse as _regex_parser  # type: ignore[no-redef]

_CODE_BLOCK = re.compile(r"```(?:\w+)?\n?(.*?)```", re.S)
_CATEGORY_SAMPLES = {"CATEGORY_DIGIT": "7", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_SPACE": "x",
                     "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": "-"}
# Samples for the terminals of Lark's `common` library (`%import common.NUMBER`).
_LARK_COMMON = {"NUMBER": "42", "SIGNED_NUMBER": "42", "INT": "42", "SIGNED_INT": "42", "DECIMAL": "4.2", "FLOAT": "4.2",
                "SIGNED_FLOAT": "4.2", "DIGIT": "4", "HEXDIGIT": "a", "LETTER": "a", "LCASE_LETTER": "a", "UCASE_LETTER": "A",
                "WORD": "word", "CNAME": "name", "ESCAPED_STRING": '"text"', "WS": " ", "WS_INLINE": " ", "NEWLINE": "\n",
                "CR": "\r", "LF": "\n", "_STRING_INNER": "text", "STRING": '"text"'}


def custom_input(fmt: Any, prompt: str, r: random.Random) -> str:
    """An input string for a custom tool whose ``format`` is ``fmt``, derived from ``prompt``."""
    fmt = fmt if isinstance(fmt, dict) else {}
    grammar = fmt.get("grammar") if isinstance(fmt.get("grammar"), dict) else fmt
    if fmt.get("type") == "grammar" or "syntax" in grammar:
        definition = str(grammar.get("definition") or "")
        try:
            if grammar.get("syntax") == "regex":
                return regex_sample(definition, r)
            return lark_sample(definition, r)
        except Exception:  # a grammar the sampler can't read still gets an answer, as the real model always replies
            return ""
    return free_text(prompt)


def free_text(prompt: str) -> str:
    """Free-text input: a fenced code block in the prompt if there is one, else the prompt itself."""
    block = _CODE_BLOCK.search(prompt)
    if block:
        return block.group(1).strip()
    return prompt.strip() or "input"


def regex_sample(pattern: str, r: random.Random) -> str:
    """A string matching ``pattern`` (checked with ``re.fullmatch``; shorter repeats tried when it fails)."""
    tree = _regex_parser.parse(pattern)
    for _ in range(8):
        sample = _walk_regex(tree, r)
        try:
            if re.fullmatch(pattern, sample):
                return sample
        except re.error:
            return sample
    return sample


def _walk_regex(tree: Any, r: random.Random) -> str:
    out = []
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("x")
        elif name == "IN":
            out.append(_class_member(arg, r))
        elif name == "BRANCH":
            out.append(_walk_regex(r.choice(arg[1]), r))
        elif name == "SUBPATTERN":
            out.append(_walk_regex(arg[-1], r))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            top = low + 2 if high == _regex_ops.MAXREPEAT else min(high, low + 2)
            out.append("".join(_walk_regex(sub, r) for _ in range(r.randint(low, max(low, top)))))
        elif name == "CATEGORY":
            out.append(_category_member(str(arg), r))
        elif name == "ATOMIC_GROUP":
            out.append(_walk_regex(arg, r))
        # AT (anchors), ASSERT/ASSERT_NOT (lookarounds) and GROUPREF add nothing.
    return "".join(out)


def _class_member(items: Any, r: random.Random) -> str:
    if items and str(items[0][0]) == "NEGATE":
        excluded = set()
        for op, arg in items[1:]:
            if str(op) == "LITERAL":
                excluded.add(chr(arg))
            elif str(op) == "RANGE":
                excluded.update(chr(c) for c in range(arg[0], arg[1] + 1))
        return next(c for c in "xyzabc0123_" if c not in excluded)
    op, arg = r.choice(list(items))
    if str(op) == "LITERAL":
        return chr(arg)
    if str(op) == "RANGE":
        return chr(r.randint(arg[0], arg[1]))
    if str(op) == "CATEGORY":
        return _category_member(str(arg), r)
    return "a"


def _category_member(category: str, r: random.Random) -> str:
    if category == "CATEGORY_DIGIT":
        return str(r.randint(0, 9))
    return _CATEGORY_SAMPLES.get(category, "a")


_LARK_RULE = re.compile(r"^\s*([?!]?[A-Za-z_][\w.]*)(?:\.\d+)?\s*:(.*)$")
_LARK_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"i?|/(?:[^/\\]|\\.)+/[imsx]*|[?!]?[A-Za-z_]\w*|[()\[\]|*+?]|~\s*\d+(?:\.\.\d+)?')


def lark_sample(grammar: str, r: random.Random) -> str:
    """A string from a Lark grammar: the first alternative of each rule, optional parts left out."""
    rules: dict[str, str] = {}
    current = None
    for line in grammar.splitlines():
        stripped = line.split("//", 1)[0].rstrip()
        if not stripped.strip() or stripped.strip().startswith("%"):
            continue
        match = _LARK_RULE.match(stripped)
        if match:
            current = match.group(1).lstrip("?!")
            rules[current] = match.group(2)
        elif current and stripped.strip().startswith("|"):
            rules[current] += " " + stripped.strip()
    start = "start" if "start" in rules else next(iter(rules), None)
    if start is None:
        return ""
    return _expand_lark(rules, _LARK_TOKEN.findall(rules[start]), r, depth=0, rule=start)


def _expand_lark(rules: dict[str, str], tokens: list[str], r: random.Random, depth: int, rule: str = "") -> str:
    first = _chosen_alternative(tokens, rule, deep=depth > 6)
    out: list[str] = []
    i = 0
    while i < len(first):
        token = first[i]
        if token in ("(", "["):
            close = _matching(first, i)
            inner = first[i + 1 : close]
            optional = token == "[" or (close + 1 < len(first) and first[close + 1] in ("?", "*"))
            if not optional:
                out.append(_expand_lark(rules, inner, r, depth + 1))
            i = close + 1
            if i < len(first) and first[i] in ("?", "*", "+"):
                i += 1
            continue
        if i + 1 < len(first) and first[i + 1] in ("?", "*"):
            i += 2  # optional or repeated zero times
            continue
        out.append(_lark_atom(rules, token, r, depth))
        i += 2 if i + 1 < len(first) and first[i + 1] == "+" else 1
    return "".join(out)


def _lark_atom(rules: dict[str, str], token: str, r: random.Random, depth: int) -> str:
    if token.startswith('"'):
        return bytes(token.rstrip("i")[1:-1], "utf-8").decode("unicode_escape")
    if token.startswith("/"):
        body = token[1 : token.rindex("/")]
        return regex_sample(body, r)
    if token.startswith("~"):
        return ""
    name = token.lstrip("?!")
    if name in rules and depth < 12:
        return _expand_lark(rules, _LARK_TOKEN.findall(rules[name]), r, depth + 1, rule=name)
    return _LARK_COMMON.get(name.split(".")[-1], "")


def _chosen_alternative(tokens: list[str], rule: str, deep: bool) -> list[str]:
    """The first alternative that doesn't recurse into ``rule``; deep in the tree, the one with fewest rule references."""
    alternatives: list[list[str]] = [[]]
    level = 0
    for token in tokens:
        if token in ("(", "["):
            level += 1
        elif token in (")", "]"):
            level -= 1
        if token == "|" and level == 0:
            alternatives.append([])
        else:
            alternatives[-1].append(token)
    if deep:
        return min(alternatives, key=lambda alt: sum(1 for t in alt if t[:1].isalpha() and t.islower()))
    return next((alt for alt in alternatives if rule not in alt), alternatives[0])


def _matching(tokens: list[str], start: int) -> int:
    level = 0
    for i in range(start, len(tokens)):
        if tokens[i] in ("(", "["):
            level += 1
        elif tokens[i] in (")", "]"):
            level -= 1
            if level == 0:
                return i
    return len(tokens) - 1
