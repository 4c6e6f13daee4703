"""Evals: evals, runs and output items."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo, public

from . import evals, runs


def _eval(call: Call) -> str:
    return call.path_params["eval_id"]


def _run(call: Call) -> str:
    return call.path_params["run_id"]


def create_eval(call: Call) -> dict[str, Any]:
    """``POST /v1/evals``."""
    return evals.create(Repo(call), call.body)


def list_evals(call: Call) -> dict[str, Any]:
    """``GET /v1/evals``."""
    return evals.list_page(Repo(call), call.query)


def get_eval(call: Call) -> dict[str, Any]:
    """``GET /v1/evals/{eval_id}``."""
    return public(evals.require(Repo(call), _eval(call)))


def update_eval(call: Call) -> dict[str, Any]:
    """``POST /v1/evals/{eval_id}``."""
    return evals.update(Repo(call), _eval(call), call.body)


def delete_eval(call: Call) -> dict[str, Any]:
    """``DELETE /v1/evals/{eval_id}``."""
    return evals.delete(Repo(call), _eval(call), runs.runs_kind(_eval(call)))


def create_run(call: Call) -> dict[str, Any]:
    """``POST /v1/evals/{eval_id}/runs``."""
    return runs.create(Repo(call), call, _eval(call), call.body)


def list_runs(call: Call) -> dict[str, Any]:
    """``GET /v1/evals/{eval_id}/runs``."""
    return runs.list_page(Repo(call), _eval(call), call.query)


def get_run(call: Call) -> dict[str, Any]:
    """``GET /v1/evals/{eval_id}/runs/{run_id}`` (a poll)."""
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS
    return runs.view(Repo(call), _eval(call), _run(call), polled=True)


def cancel_run(call: Call) -> dict[str, Any]:
    """``POST /v1/evals/{eval_id}/runs/{run_id}/cancel``."""
    return runs.cancel(Repo(call), _eval(call), _run(call))


def delete_run(call: Call) -> dict[str, Any]:
    """``DELETE /v1/evals/{eval_id}/runs/{run_id}``."""
    return runs.delete(Repo(call), _eval(call), _run(call))


def list_output_items(call: Call) -> dict[str, Any]:
    """``GET /v1/evals/{eval_id}/runs/{run_id}/output_items``."""
    return runs.list_items(Repo(call), _eval(call), _run(call), call.query)


def get_output_item(call: Call) -> dict[str, Any]:
    """``GET /v1/evals/{eval_id}/runs/{run_id}/output_items/{output_item_id}``."""
    return runs.get_item(Repo(call), _eval(call), _run(call), call.path_params["output_item_id"])


HANDLERS = {
    "createEval": create_eval, "listEvals": list_evals, "getEval": get_eval, "updateEval": update_eval,
    "deleteEval": delete_eval, "createEvalRun": create_run, "getEvalRuns": list_runs, "getEvalRun": get_run,
    "cancelEvalRun": cancel_run, "deleteEvalRun": delete_run, "getEvalRunOutputItems": list_output_items,
    "getEvalRunOutputItem": get_output_item,
}
