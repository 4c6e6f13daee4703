"""Arithmetic a prompt asks for ("whats 5 * 4", "2 plus 2"), and the tools that do it (``multiply``, ``add``...).

Tool choice reads words; an expression has none to match a tool named ``multiply`` or described as
"return x * y". A model calls such a tool for each expression it is asked to work out, with that
expression's operands, so "What is 3 * 12? Also, what is 11 + 49?" calls ``multiply(3, 12)`` and ``add(11, 49)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .words import identifier_words

_NUMBER = r"-?\d+(?:\.\d+)?"
# Operators between two numbers: symbols, and the words people write for them. "x" only between digits ("6 x 7").
_OPERATOR = r"\*\*|[-+*/×÷^x]|plus|minus|times|multiplied\s+by|divided\s+by|over|to\s+the\s+power\s+of"
_EXPRESSION = re.compile(rf"(?<![\w.])({_NUMBER})\s*({_OPERATOR})\s*({_NUMBER})(?![\w.])", re.IGNORECASE)
_MAYBE = re.compile(r"\d\s*[-+*/×÷^a-zA-Z]")  # a cheap first test: a digit, then an operator or a letter
_OPERATION_OF = {"+": "add", "plus": "add", "-": "subtract", "minus": "subtract", "*": "multiply", "×": "multiply",
                 "x": "multiply", "times": "multiply", "multiplied by": "multiply", "/": "divide", "÷": "divide",
                 "divided by": "divide", "over": "divide", "^": "power", "**": "power", "to the power of": "power"}
# What a tool's name says it does, by word (its name split into words, lower case).
_TOOL_WORDS = {"add": "add", "addition": "add", "sum": "add", "plus": "add", "subtract": "subtract",
               "subtraction": "subtract", "minus": "subtract", "difference": "subtract", "multiply": "multiply",
               "multiplication": "multiply", "product": "multiply", "times": "multiply", "mul": "multiply",
               "divide": "divide", "division": "divide", "quotient": "divide", "div": "divide", "power": "power",
               "pow": "power", "exponent": "power", "exponentiate": "power"}
_ANY_OPERATION = frozenset("calculate calculator calc compute math arithmetic evaluate eval".split())
# Words an arithmetic tool's name may hold besides its operation ("add_two_numbers", "multiplyIntegers", "calc_tool").
_OPERAND_WORDS = frozenset("two numbers number integers integer ints int values value nums num floats float "
                           "tool func function operation op expression".split())


@dataclass(frozen=True)
class Expression:
    """One operation a prompt asks for: what it does, and its text (its operands, in order)."""

    operation: str
    text: str


@lru_cache(maxsize=256)  # tool choice and the calls' arguments read the same prompt
def expressions(prompt: str) -> tuple[Expression, ...]:
    """The binary operations ``prompt`` writes out, in order ("3 * 12", "2 plus 2")."""
    if not _MAYBE.search(prompt):
        return ()  # most prompts: no digit is followed by an operator or a word
    found = []
    for match in _EXPRESSION.finditer(prompt):
        operator = " ".join(match.group(2).lower().split())
        tight = not match.group(0)[len(match.group(1)):-len(match.group(3))].strip(operator)
        if operator == "-" and tight or prompt[match.end():match.end() + 1] in ("-", "/"):
            continue  # "5-10 minutes" is a range, "12/05/2024" and "2024-05-01" are dates
        found.append(Expression(_OPERATION_OF[operator], f"{match.group(1)} {match.group(3)}"))
    return tuple(found)


@lru_cache(maxsize=512)  # a client sends the same tools with every request
def tool_operation(name: str) -> str | None:
    """What an arithmetic tool does ("multiply"), "any" for a calculator, or None for a tool that does no arithmetic."""
    words = identifier_words(name)
    doing = [w for w in words if w not in _OPERAND_WORDS]
    if len(doing) != 1:
        return None  # add_to_cart, multiply_recipe_servings...: more than arithmetic
    return _TOOL_WORDS.get(doing[0]) or ("any" if doing[0] in _ANY_OPERATION else None)


def operands_fit(parameters: Any) -> bool:
    """Whether a tool's parameters take numbers (or one expression string), as an arithmetic tool's do."""
    props = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(props, dict) or not props:
        return False
    kinds = [spec.get("type") for spec in props.values() if isinstance(spec, dict)]
    return any(k in ("integer", "number") for k in kinds) or kinds == ["string"]


def worked_out(tool_name: str, parameters: Any, asked: tuple[Expression, ...]) -> list[Expression]:
    """The expressions ``asked`` that the tool works out (all of them for a calculator), in the prompt's order."""
    if not asked:
        return []
    operation = tool_operation(tool_name)
    if operation is None or not operands_fit(parameters):
        return []
    return [e for e in asked if operation in ("any", e.operation)]
