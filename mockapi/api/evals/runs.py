"""Eval runs: sampled and graded when created, then queued -> in_progress -> completed on the progress rule.

The grading happens at once (so every worker sees the same results); the run shows its counts and its
output items only once it has completed, as the real runs do. A cancelled run drops them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapi.core import progress
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, metadata_of, public

from . import evals, graders, sampling

PENDING = ("queued", "in_progress")
# Called with (repo, run) when a run ends (completed or canceled): webhooks register here.
ON_FINISH: list[Callable[[Repo, dict[str, Any]], None]] = []
REPORT_URL = "https://platform.openai.com/evaluations/{eval_id}?run_id={run_id}"


def runs_kind(eval_id: str) -> str:
    """The store kind of one eval's runs."""
    return f"eval.run:{eval_id}"


def items_kind(run_id: str) -> str:
    """The store kind of one run's output items."""
    return f"eval.run.output_item:{run_id}"


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    errored = sum(1 for i in items if i["sample"]["error"])
    passed = sum(1 for i in items if i["status"] == "pass")
    return {"total": len(items), "passed": passed, "failed": len(items) - passed - errored, "errored": errored}


def _usage(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_model: dict[str, dict[str, Any]] = {}
    for item in items:
        record = item["sample"]
        if not record["input"]:
            continue  # a jsonl row: nothing was sampled
        usage = by_model.setdefault(record["model"], {"model_name": record["model"], "invocation_count": 0, "prompt_tokens": 0,
                                                      "completion_tokens": 0, "total_tokens": 0, "cached_tokens": 0})
        usage["invocation_count"] += 1
        for key in ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens"):
            usage[key] += record["usage"][key]
    return list(by_model.values())


def _per_criterion(criteria: list[dict[str, Any]], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for criterion in criteria:
        results = [r for i in items for r in i["results"] if r["name"] == criterion["id"]]
        passed = sum(1 for r in results if r["passed"])
        out.append({"testing_criteria": criterion["id"], "passed": passed, "failed": len(results) - passed})
    return out


def create(repo: Repo, call: Any, eval_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /evals/{id}/runs``: sample every row, grade it with every criterion, queue the run."""
    the_eval = evals.require(repo, eval_id)
    data_source = body["data_source"]
    if data_source["type"] != "jsonl" and data_source.get("model"):
        call.catalog.get(data_source["model"], param="data_source.model")  # an unknown model: the real 404
    # Without a model, every row's sampling gets the endpoint's own 400 and counts as errored.
    run_id = repo.new_id("evalrun_", runs_kind(eval_id), length=32)
    now = repo.now()
    ask = graders.asker(call)
    made = []
    for index, row in enumerate(sampling.rows(repo, data_source["source"])):
        namespace, record = sampling.sample(call, data_source, row)
        scope = {"item": row.get("item") or {}, "sample": namespace}
        results = [] if record["error"] else [{**graders.grade(c, scope, ask), "name": c["id"]} for c in the_eval["testing_criteria"]]
        passed = bool(results) and all(r["passed"] for r in results)
        made.append({"id": repo.new_id("outputitem_", items_kind(run_id), length=32), "object": "eval.run.output_item",
                     "created_at": now, "run_id": run_id, "eval_id": eval_id, "status": "pass" if passed else "fail",
                     "datasource_item_id": index, "datasource_item": row.get("item") or {}, "results": results,
                     "sample": record})
    run = {"id": run_id, "object": "eval.run", "created_at": now, "eval_id": eval_id, "status": "queued",
           "name": body.get("name") or data_source.get("model") or "jsonl", "model": data_source.get("model") or "",
           "data_source": data_source, "metadata": metadata_of(body, {}), "error": None,
           "report_url": REPORT_URL.format(eval_id=eval_id, run_id=run_id),
           "result_counts": _counts([]), "per_model_usage": [], "per_testing_criteria_results": [],
           "_mock": {"rule": progress.rule_for(call), "since": repo.clock.now(), "counts": _counts(made),
                     "usage": _usage(made), "criteria": _per_criterion(the_eval["testing_criteria"], made)}}
    repo.put(runs_kind(eval_id), run)
    for item in made:
        repo.put(items_kind(run_id), item)
    return public(run)


def advance(repo: Repo, run: dict[str, Any], polled: bool = False) -> dict[str, Any]:
    """Move a run on under its rule (each of queued and in_progress lasts one rule's worth)."""
    if run["status"] not in PENDING or "_mock" not in run:
        return run
    with repo.lock(f"evalrun:{run['id']}"):
        run = repo.get(runs_kind(run["eval_id"]), run["id"]) or run
        mock = run["_mock"]
        kind, amount = progress.parse(mock["rule"])
        finished = False
        while run["status"] in PENDING:
            polls = repo.counter(f"evalpolls:{run['id']}:{run['status']}", 1 if polled else 0)
            polled = False
            if not progress.due(mock["rule"], polls, mock["since"], repo.clock.now()):
                break
            mock["since"] = mock["since"] + amount if kind == "seconds" else repo.clock.now()
            if run["status"] == "queued":
                run["status"] = "in_progress"
            else:
                run.update(status="completed", result_counts=mock["counts"], per_model_usage=mock["usage"],
                           per_testing_criteria_results=mock["criteria"])
                finished = True
        repo.put(runs_kind(run["eval_id"]), run)
    if finished:
        _finished(repo, run)
    return run


def _finished(repo: Repo, run: dict[str, Any]) -> None:
    for listener in ON_FINISH:
        listener(repo, public(run))


def require(repo: Repo, eval_id: str, run_id: str, polled: bool = False) -> dict[str, Any]:
    """The run brought up to date, or 404."""
    evals.require(repo, eval_id)
    return advance(repo, repo.require(runs_kind(eval_id), run_id, "eval run", "evalrun_"), polled)


def view(repo: Repo, eval_id: str, run_id: str, polled: bool = False) -> dict[str, Any]:
    """The run as the API shows it."""
    return public(require(repo, eval_id, run_id, polled))


def list_page(repo: Repo, eval_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /evals/{id}/runs``: filtered by status, oldest first by default."""
    evals.require(repo, eval_id)
    runs = [public(advance(repo, r)) for r in repo.list(runs_kind(eval_id))]
    if query.get("status"):
        runs = [r for r in runs if r["status"] == query["status"]]
    return paginate(runs, query, default_order="asc")


def cancel(repo: Repo, eval_id: str, run_id: str) -> dict[str, Any]:
    """``POST …/cancel``: a run not yet completed stops and keeps no results."""
    run = require(repo, eval_id, run_id)
    if run["status"] not in PENDING:
        raise InvalidRequestError(f"Cannot cancel eval run {run_id}: its status is '{run['status']}'.", param=None,
                                  code="invalid_state")
    run["status"] = "canceled"
    for item in repo.list(items_kind(run_id)):
        repo.delete(items_kind(run_id), item["id"])
    repo.put(runs_kind(eval_id), run)
    _finished(repo, run)
    return public(run)


def delete(repo: Repo, eval_id: str, run_id: str) -> dict[str, Any]:
    """``DELETE /evals/{id}/runs/{run_id}`` with its output items."""
    require(repo, eval_id, run_id)
    for item in repo.list(items_kind(run_id)):
        repo.delete(items_kind(run_id), item["id"])
    repo.delete(runs_kind(eval_id), run_id)
    return {"object": "eval.run.deleted", "deleted": True, "run_id": run_id}


def _visible_items(repo: Repo, eval_id: str, run_id: str) -> list[dict[str, Any]]:
    run = require(repo, eval_id, run_id)
    return repo.list(items_kind(run_id)) if run["status"] == "completed" else []


def list_items(repo: Repo, eval_id: str, run_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET …/output_items``: filtered by ``pass`` / ``fail``, oldest first by default."""
    items = _visible_items(repo, eval_id, run_id)
    if query.get("status"):
        items = [i for i in items if i["status"] == query["status"]]
    return paginate(items, query, default_order="asc")


def get_item(repo: Repo, eval_id: str, run_id: str, item_id: str) -> dict[str, Any]:
    """``GET …/output_items/{id}``."""
    for item in _visible_items(repo, eval_id, run_id):
        if item["id"] == item_id:
            return item
    raise NotFoundError(f"No output item found with id '{item_id}'.")
