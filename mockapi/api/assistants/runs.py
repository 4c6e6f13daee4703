"""Runs: the status machine, moved on by polls and the mock clock under a progress rule.

queued -> in_progress -> (requires_action -> submit -> queued -> in_progress) -> completed | incomplete
| failed | expired, and cancelling -> cancelled. All state lives in the store, so any worker sharing
it can poll the run forward; a per-run lock makes each transition happen once.
"""

from __future__ import annotations

import copy
from typing import Any

from mockapi.core import progress
from mockapi.core.errors import InvalidRequestError, NotFoundError, out_of_range
from mockapi.core.pages import paginate
from mockapi.core.repo import SYNTHESIZERS, Repo, metadata_of, public, synthetic_time
from mockapi.core.tokenizer import count_tokens

from . import assistants, threads
from .kinds import runs_kind
from .run_work import (
    Emit,
    builtin_tools,
    finish_step,
    open_tool_step,
    plan_calls,
    shown_step,
    steps_kind,
    write_reply,
)

OUTCOME_HEADER = "x-mockapi-run-outcome"  # failed | expired: script a run's end
TERMINAL = ("completed", "failed", "cancelled", "expired", "incomplete")
RUN_TTL = 600  # a run waiting for tool outputs expires ten minutes after it was created


def _ignore(name: str, payload: dict[str, Any]) -> None:
    return None


class Collector:
    """An ``emit`` that keeps (name, snapshot) pairs for a stream."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, name: str, payload: dict[str, Any]) -> None:
        self.events.append((name, copy.deepcopy(payload)))


# -- creation ------------------------------------------------------------------------------
def create(repo: Repo, call: Any, thread_id: str, body: dict[str, Any], include: list[str]) -> dict[str, Any]:
    """A new queued run; 400 when the thread already has an active one."""
    assistant = assistants.require(repo, body["assistant_id"])
    threads.require(repo, thread_id)
    for name in ("max_prompt_tokens", "max_completion_tokens"):
        if call.faithful and body.get(name) is not None and body[name] < 256:
            # source: the OpenAPI spec gives CreateRunRequest.max_prompt_tokens and max_completion_tokens "minimum: 256"
            # (openai/openai-openapi, also in the clients generated from it); the words are the real range wording
            raise out_of_range(name, body[name], 256, below=True)
    if body.get("model"):
        call.model()
    outcome = call.request.headers.get(OUTCOME_HEADER)
    if outcome not in (None, "failed", "expired"):
        raise InvalidRequestError(f"{OUTCOME_HEADER} must be 'failed' or 'expired', not {outcome!r}", param=None)
    with repo.lock(f"thread:{thread_id}"):
        current = active_run(repo, thread_id)
        if current is not None:
            # source: "Thread thread_CPVZ... already has an active run run_nuUS..." (github.com/TripSit/TripBot/issues/939)
            raise InvalidRequestError(f"Thread {thread_id} already has an active run {current['id']}.", param=None)
        for message in body.get("additional_messages") or []:
            threads.add_message(repo, thread_id, message)
        now = repo.now()
        instructions = body.get("instructions") if body.get("instructions") is not None else assistant.get("instructions") or ""
        if body.get("additional_instructions"):
            instructions = f"{instructions}\n{body['additional_instructions']}".strip()
        run = {"id": repo.new_id("run_", runs_kind(thread_id)), "object": "thread.run", "created_at": now,
               "assistant_id": assistant["id"], "thread_id": thread_id, "status": "queued", "started_at": None,
               "expires_at": now + RUN_TTL, "cancelled_at": None, "failed_at": None, "completed_at": None,
               "required_action": None, "last_error": None, "model": body.get("model") or assistant["model"],
               "instructions": instructions,
               "tools": list(body["tools"]) if body.get("tools") is not None else assistant["tools"],
               "metadata": metadata_of(body, {}), "usage": None,
               "temperature": body.get("temperature", assistant.get("temperature")),
               "top_p": body.get("top_p", assistant.get("top_p")),
               "max_prompt_tokens": body.get("max_prompt_tokens"), "max_completion_tokens": body.get("max_completion_tokens"),
               "truncation_strategy": body.get("truncation_strategy") or {"type": "auto", "last_messages": None},
               "incomplete_details": None, "response_format": body.get("response_format") or assistant.get("response_format"),
               "tool_choice": body.get("tool_choice") or "auto", "parallel_tool_calls": body.get("parallel_tool_calls", True),
               "_mock": {"rule": progress.rule_for(call), "segment": 0, "since": repo.clock.now(), "outcome": outcome,
                         "include": include, "calls": []}}
        repo.put(runs_kind(thread_id), run)
        repo.put(threads.ACTIVE_KIND, {"id": thread_id, "run_id": run["id"]})
    return run


def active_run(repo: Repo, thread_id: str) -> dict[str, Any] | None:
    """The thread's run that is not finished yet, if any (brought up to date first)."""
    pointer = repo.get(threads.ACTIVE_KIND, thread_id)
    run = pointer and repo.get(runs_kind(thread_id), pointer["run_id"])
    if not run:
        return None
    run = advance(repo, run)
    return run if run["status"] not in TERMINAL else None


def refuse_while_active(repo: Repo, thread_id: str) -> None:
    """A 400 when a run on the thread is not finished: messages cannot be added then."""
    run = active_run(repo, thread_id)
    if run is not None:
        # source: "Can't add messages to thread_jD1d... while a run run_KfVG... is active.", param null, code null
        # (github.com/openai/openai-python/issues/1023, github.com/srosro/deepspring-shellmate/issues/135)
        raise InvalidRequestError(f"Can't add messages to {thread_id} while a run {run['id']} is active.", param=None)


def require(repo: Repo, thread_id: str, run_id: str) -> dict[str, Any]:
    """The run (not yet advanced), or 404."""
    threads.require(repo, thread_id)
    return repo.require(runs_kind(thread_id), run_id, "run", "run_", thread_id=thread_id)


# -- the status machine ----------------------------------------------------------------------
def advance(repo: Repo, run: dict[str, Any], polled: bool = False) -> dict[str, Any]:
    """Bring a run up to date: a poll (``polled``) counts toward ``polls:N``; the clock toward ``seconds:T``."""
    if run["status"] in TERMINAL or "_mock" not in run:
        return run
    with repo.lock(f"run:{run['id']}"):
        fresh = repo.get(runs_kind(run["thread_id"]), run["id"]) or run
        return _advance_locked(repo, fresh, polled, _ignore)


def _advance_locked(repo: Repo, run: dict[str, Any], polled: bool, emit: Emit) -> dict[str, Any]:
    mock, status, now = run["_mock"], run["status"], repo.now()
    if status in TERMINAL:
        return run
    if status == "cancelling":
        return _end_pending_steps(repo, run, "cancelled", emit)
    if run["expires_at"] is not None and now >= run["expires_at"]:
        return _end_pending_steps(repo, run, "expired", emit)
    if status == "requires_action":
        return run
    polls = repo.counter(f"runpolls:{run['id']}:{mock['segment']}", 1 if polled else 0)
    if progress.due(mock["rule"], polls, mock["since"], repo.clock.now()):
        return move_on(repo, run, emit)
    if status == "queued":
        run.update(status="in_progress", started_at=now)
        repo.put(runs_kind(run["thread_id"]), run)
    return run


def _end_pending_steps(repo: Repo, run: dict[str, Any], status: str, emit: Emit) -> dict[str, Any]:
    for step in repo.list(steps_kind(run["id"])):
        if step["status"] == "in_progress":
            finish_step(repo, step, status)
    run.update(status=status, required_action=None, expires_at=None)
    if status == "cancelled":
        run["cancelled_at"] = repo.now()
    repo.put(runs_kind(run["thread_id"]), run)
    emit(f"thread.run.{status}", public(run))
    return run


def _prompt(repo: Repo, run: dict[str, Any]) -> tuple[str, int]:
    messages = repo.list(threads.messages_kind(run["thread_id"]))
    users = [threads.text_of(m) for m in messages if m["role"] == "user"]
    tokens = count_tokens(run["instructions"]) + sum(count_tokens(threads.text_of(m)) + 4 for m in messages)
    return (users[-1] if users else ""), tokens


def _vector_stores(repo: Repo, run: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for owner in (repo.get(threads.KIND, run["thread_id"]), repo.get(assistants.KIND, run["assistant_id"])):
        ids += ((owner or {}).get("tool_resources") or {}).get("file_search", {}).get("vector_store_ids", [])
    return list(dict.fromkeys(ids))


def move_on(repo: Repo, run: dict[str, Any], emit: Emit) -> dict[str, Any]:
    """Finish the run's current segment: stop for tool outputs, or end it (caller holds the run lock)."""
    mock, now = run["_mock"], repo.now()
    if run["status"] == "queued":
        run.update(status="in_progress", started_at=now)
        emit("thread.run.in_progress", public(run))
    prompt, prompt_tokens = _prompt(repo, run)
    kind = runs_kind(run["thread_id"])
    if mock["segment"] == 0 and mock["outcome"] is None:
        calls = plan_calls(repo, run, prompt)
        if calls:
            open_tool_step(repo, run, calls, emit)
            mock["calls"] = [c["id"] for c in calls]
            run.update(status="requires_action",
                       required_action={"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}})
            repo.put(kind, run)
            emit("thread.run.requires_action", public(run))
            return run
    builtin_tools(repo, run, prompt, _vector_stores(repo, run), mock.get("include") or [], emit)
    if mock["outcome"] == "failed":
        run.update(status="failed", failed_at=now, last_error={"code": "server_error", "message": "Sorry, something went wrong."})
    elif mock["outcome"] == "expired":
        run.update(status="expired")
    elif run.get("max_prompt_tokens") is not None and prompt_tokens > run["max_prompt_tokens"]:
        run.update(status="incomplete", incomplete_details={"reason": "max_prompt_tokens"},
                   usage={"prompt_tokens": prompt_tokens, "completion_tokens": 0, "total_tokens": prompt_tokens})
    else:
        status, usage = write_reply(repo, run, prompt, prompt_tokens, emit)
        run.update(status=status, usage=usage)
        if status == "completed":
            run["completed_at"] = now
        else:
            run["incomplete_details"] = {"reason": "max_completion_tokens"}
    run["expires_at"] = None  # a finished run no longer expires
    repo.put(kind, run)
    emit(f"thread.run.{run['status']}", public(run))
    return run


def stream_new(repo: Repo, run: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Run a just-created run to its next stop at once and return its stream events."""
    collect = Collector()
    collect("thread.run.created", public(run))
    collect("thread.run.queued", public(run))
    with repo.lock(f"run:{run['id']}"):
        move_on(repo, repo.get(runs_kind(run["thread_id"]), run["id"]) or run, collect)
    return collect.events


# -- operations on a run ---------------------------------------------------------------------
def submit_tool_outputs(repo: Repo, thread_id: str, run_id: str, outputs: list[dict[str, Any]], stream: bool) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Record tool outputs (they must answer every pending call) and queue the run again."""
    advance(repo, require(repo, thread_id, run_id))
    collect: Emit = Collector() if stream else _ignore
    with repo.lock(f"run:{run_id}"):
        run = require(repo, thread_id, run_id)
        if run["status"] != "requires_action":
            # source: 'Runs in status "expired" do not accept tool outputs.', param null, code null (a BadRequestError body
            # quoted verbatim in public project notes; client code matches on "do not accept tool outputs"); no issue URL found
            raise InvalidRequestError(f'Runs in status "{run["status"]}" do not accept tool outputs.', param=None)
        expected = run["_mock"]["calls"]
        given = [o.get("tool_call_id") for o in outputs]
        if sorted(given) != sorted(expected):
            # source: "Expected tool outputs for call_ids ['call_rVUD...', ...], got ['call_rVUD...']", param null,
            # code null (github.com/microsoft/semantic-kernel/issues/8701)
            raise InvalidRequestError(f"Expected tool outputs for call_ids {expected}, got {given}", param=None)
        by_id = {o["tool_call_id"]: o.get("output") for o in outputs}
        for step in repo.list(steps_kind(run_id)):
            if step["type"] == "tool_calls" and step["status"] == "in_progress":
                for tool_call in step["step_details"]["tool_calls"]:
                    tool_call["function"]["output"] = by_id.get(tool_call["id"])
                collect("thread.run.step.completed", public(finish_step(repo, step)))
        run.update(status="queued", required_action=None)
        run["_mock"].update(segment=1, since=repo.clock.now())
        repo.put(runs_kind(thread_id), run)
        if stream:
            collect("thread.run.queued", public(run))
            run = move_on(repo, run, collect)
    return run, (collect.events if isinstance(collect, Collector) else [])


def cancel(repo: Repo, thread_id: str, run_id: str) -> dict[str, Any]:
    """``POST …/runs/{id}/cancel``: an unfinished run goes to ``cancelling``, then ``cancelled``."""
    advance(repo, require(repo, thread_id, run_id))
    with repo.lock(f"run:{run_id}"):
        run = require(repo, thread_id, run_id)
        if run["status"] in TERMINAL or run["status"] == "cancelling":
            # source: "Cannot cancel run with status 'cancelled'." matched verbatim by public client code handling the
            # real API's answer; lifecycle rule, no issue URL found
            raise InvalidRequestError(f"Cannot cancel run with status '{run['status']}'.", param=None)
        run["status"] = "cancelling"
        return repo.put(runs_kind(thread_id), run)


def modify(repo: Repo, thread_id: str, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST …/runs/{id}``: metadata."""
    with repo.lock(f"run:{run_id}"):
        run = require(repo, thread_id, run_id)
        if "metadata" in body:
            run["metadata"] = metadata_of(body) or {}
        return repo.put(runs_kind(thread_id), run)


def list_page(repo: Repo, thread_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /threads/{id}/runs``."""
    threads.require(repo, thread_id)
    return paginate([public(advance(repo, r)) for r in repo.list(runs_kind(thread_id))], query)


def list_steps(repo: Repo, thread_id: str, run_id: str, query: dict[str, str], include: list[str]) -> dict[str, Any]:
    """``GET …/runs/{id}/steps``."""
    advance(repo, require(repo, thread_id, run_id))
    return paginate([shown_step(s, include) for s in repo.list(steps_kind(run_id))], query)


def require_step(repo: Repo, thread_id: str, run_id: str, step_id: str, include: list[str]) -> dict[str, Any]:
    """One step, or 404."""
    advance(repo, require(repo, thread_id, run_id))
    step = repo.get(steps_kind(run_id), step_id)
    if step is None:
        raise NotFoundError(f"No run step found with id '{step_id}'.")
    return shown_step(step, include)


def _synthesize(repo: Repo, run_id: str, scope: dict[str, str]) -> dict[str, Any]:
    created = synthetic_time(run_id)
    return {"id": run_id, "object": "thread.run", "created_at": created, "assistant_id": "asst_synthesized",
            "thread_id": scope.get("thread_id", ""), "status": "completed", "started_at": created, "expires_at": None,
            "cancelled_at": None, "failed_at": None, "completed_at": created + 1, "required_action": None, "last_error": None,
            "model": "gpt-4o", "instructions": "", "tools": [], "metadata": {}, "usage": None, "temperature": 1.0,
            "top_p": 1.0, "max_prompt_tokens": None, "max_completion_tokens": None,
            "truncation_strategy": {"type": "auto", "last_messages": None}, "incomplete_details": None,
            "response_format": "auto", "tool_choice": "auto", "parallel_tool_calls": True}


SYNTHESIZERS["thread.run"] = _synthesize
