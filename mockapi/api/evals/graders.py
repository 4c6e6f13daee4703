"""Graders, scored deterministically: string checks and text similarity by rule, model graders by the mock's own answer.

- ``string_check``: ``eq`` / ``ne`` exact, ``like`` contains, ``ilike`` contains ignoring case; score 1 or 0.
- ``text_similarity``: the metric from :mod:`.similarity`; passes at ``pass_threshold``.
- ``label_model``: the grader's prompt goes to the mock's chat endpoint with a strict schema whose ``label``
  is one of ``labels``; passes when that label is in ``passing_labels``.
- ``score_model``: likewise with ``{steps, result}`` and ``result`` within ``range`` (default 0..1); passes
  at ``pass_threshold`` (default: the middle of the range).
- ``python``: the mock never runs submitted code; it scores 1.0 (documented in docs/fine-tuning-and-evals.md).
- ``multi``: ``calculate_output`` evaluated over the sub-graders' scores (+ - * / min max abs).
"""

from __future__ import annotations

import ast
import json
import operator
from collections.abc import Callable
from typing import Any

from mockapi.core.errors import InvalidRequestError

from . import loopback, similarity, templates

PYTHON_SCORE = 1.0
Ask = Callable[[dict[str, Any]], dict[str, Any]]  # a chat completions body -> the completion (or an error body)


def _render(grader: dict[str, Any], key: str, namespaces: dict[str, Any]) -> str:
    return templates.render(grader.get(key, ""), namespaces)


def _string_check(grader: dict[str, Any], namespaces: dict[str, Any]) -> float:
    given, reference, op = _render(grader, "input", namespaces), _render(grader, "reference", namespaces), grader["operation"]
    passed = {"eq": given == reference, "ne": given != reference, "like": reference in given,
              "ilike": reference.lower() in given.lower()}[op]
    return 1.0 if passed else 0.0


def _model_answer(grader: dict[str, Any], namespaces: dict[str, Any], ask: Ask, schema: dict[str, Any]) -> dict[str, Any]:
    body = {"model": grader["model"], "messages": templates.messages(list(grader.get("input") or []), namespaces),
            "response_format": {"type": "json_schema", "json_schema": {"name": grader["type"], "strict": True, "schema": schema}}}
    answer = ask(body)
    try:
        return json.loads(answer["choices"][0]["message"]["content"])
    except (KeyError, IndexError, TypeError, ValueError):
        return {}


def _label(grader: dict[str, Any], namespaces: dict[str, Any], ask: Ask) -> tuple[float, dict[str, Any]]:
    schema = {"type": "object", "properties": {"label": {"type": "string", "enum": list(grader["labels"])}},
              "required": ["label"], "additionalProperties": False}
    label = _model_answer(grader, namespaces, ask, schema).get("label")
    return (1.0 if label in grader["passing_labels"] else 0.0), {"label": label}


def score_range(grader: dict[str, Any]) -> tuple[float, float]:
    """A score model's range (default 0..1)."""
    low, high = (grader.get("range") or [0.0, 1.0])[:2]
    return float(low), float(high)


def _score(grader: dict[str, Any], namespaces: dict[str, Any], ask: Ask) -> tuple[float, dict[str, Any]]:
    low, high = score_range(grader)
    step = {"type": "object", "properties": {"description": {"type": "string"}, "conclusion": {"type": "string"}},
            "required": ["description", "conclusion"], "additionalProperties": False}
    schema = {"type": "object", "properties": {"steps": {"type": "array", "items": step},
                                               "result": {"type": "number", "minimum": low, "maximum": high}},
              "required": ["steps", "result"], "additionalProperties": False}
    answer = _model_answer(grader, namespaces, ask, schema)
    result = answer.get("result")
    value = min(high, max(low, float(result))) if isinstance(result, (int, float)) else low
    return value, answer


def threshold(grader: dict[str, Any]) -> float:
    """The score an item needs to pass this grader."""
    if grader.get("pass_threshold") is not None:
        return float(grader["pass_threshold"])
    if grader["type"] == "score_model":
        low, high = score_range(grader)
        return (low + high) / 2
    return 1.0


def grade(grader: dict[str, Any], namespaces: dict[str, Any], ask: Ask) -> dict[str, Any]:
    """One grader's result for one item: ``{name, type, score, passed, sample}``."""
    kind, sample = grader["type"], None
    if kind == "string_check":
        value = _string_check(grader, namespaces)
    elif kind == "text_similarity":
        value = similarity.score(grader["evaluation_metric"], _render(grader, "input", namespaces),
                                 _render(grader, "reference", namespaces))
    elif kind == "label_model":
        value, sample = _label(grader, namespaces, ask)
    elif kind == "score_model":
        value, sample = _score(grader, namespaces, ask)
    elif kind == "python":
        value = PYTHON_SCORE
    elif kind == "multi":
        value = _multi(grader, namespaces, ask)
    else:
        raise InvalidRequestError(f"Invalid grader type: '{kind}'.", param="grader.type", code="invalid_value")
    passed = value == 1.0 if kind in ("string_check", "label_model") else value >= threshold(grader)
    return {"name": grader.get("name", kind), "type": kind, "score": value, "passed": passed, "sample": sample}


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.USub: operator.neg}
_FUNCS = {"min": min, "max": max, "abs": abs}


def _formula(node: ast.AST, scores: dict[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return _formula(node.body, scores)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in scores:
        return scores[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_formula(node.left, scores), _formula(node.right, scores))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_formula(node.operand, scores))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS:
        return float(_FUNCS[node.func.id](*(_formula(a, scores) for a in node.args)))
    raise InvalidRequestError("Invalid calculate_output: only numbers, grader names, + - * /, min, max and abs are "
                              "supported.", param="grader.calculate_output", code="invalid_value")


def sub_graders(grader: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A multi grader's graders by name (the SDK types one grader; the API takes a map of them)."""
    graders = grader.get("graders") or {}
    if isinstance(graders, dict) and "type" in graders:
        return {graders.get("name", "grader"): graders}
    return dict(graders) if isinstance(graders, dict) else {}


def _multi(grader: dict[str, Any], namespaces: dict[str, Any], ask: Ask) -> float:
    scores = {name: grade(sub, namespaces, ask)["score"] for name, sub in sub_graders(grader).items()}
    try:
        tree = ast.parse(grader["calculate_output"], mode="eval")
    except SyntaxError:
        raise InvalidRequestError("Invalid calculate_output: it does not parse.", param="grader.calculate_output",
                                  code="invalid_value") from None
    try:
        return float(_formula(tree, scores))
    except ZeroDivisionError:
        return 0.0


def asker(call: Any) -> Ask:
    """A grader's way to the mock's chat endpoint, as the calling tenant."""
    return lambda body: loopback.post(call, "/chat/completions", body)[1]
