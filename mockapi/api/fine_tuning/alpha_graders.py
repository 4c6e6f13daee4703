"""``/fine_tuning/alpha/graders``: run a grader on one model sample, or check that a grader is well formed."""

from __future__ import annotations

import ast
import json
from typing import Any

from mockapi.core.errors import InvalidRequestError

from ..evals import graders

_ERRORS = ("formula_parse_error", "invalid_variable_error", "model_grader_parse_error", "model_grader_refusal_error",
           "model_grader_server_error", "other_error", "python_grader_runtime_error", "python_grader_server_error",
           "sample_parse_error", "truncated_observation_error", "unresponsive_reward_error")


def validate(grader: dict[str, Any]) -> dict[str, Any]:
    """``POST …/graders/validate``: the grader back when it is usable, else the 400 naming what is wrong."""
    if grader.get("type") == "multi":
        try:
            ast.parse(grader.get("calculate_output", ""), mode="eval")
        except SyntaxError:
            raise InvalidRequestError("Invalid calculate_output: it does not parse.", param="grader.calculate_output",
                                      code="invalid_value") from None
    return {"grader": grader}


def run(call: Any, body: dict[str, Any]) -> dict[str, Any]:
    """``POST …/graders/run``: the reward for ``model_sample`` (and ``item``) under the grader."""
    grader = validate(body["grader"])["grader"]
    sample_text = body["model_sample"]
    try:
        as_json = json.loads(sample_text)
    except ValueError:
        as_json = None
    scope = {"item": body.get("item") or {}, "sample": {"output_text": sample_text, "output_json": as_json}}
    ask = graders.asker(call)
    result = graders.grade(grader, scope, ask)
    subs = {name: graders.grade(sub, scope, ask)["score"] for name, sub in graders.sub_graders(grader).items()} \
        if grader["type"] == "multi" else {}
    model = grader.get("model") if grader["type"] in ("score_model", "label_model") else None
    metadata = {"name": grader.get("name", grader["type"]), "type": grader["type"], "errors": {k: False for k in _ERRORS},
                "execution_time": 0.0, "scores": subs or {grader.get("name", grader["type"]): result["score"]},
                "token_usage": None, "sampled_model_name": model}
    metadata["errors"].update(model_grader_server_error_details=None, python_grader_runtime_error_details=None,
                              python_grader_server_error_type=None)
    return {"reward": result["score"], "metadata": metadata, "sub_rewards": subs, "model_grader_token_usage_per_model": {}}
