"""What a run does once it may move on: plan function calls, simulate built-in tools, write the reply.

Each piece stores what it makes and reports it through ``emit(event_name, payload)``, so the
same code serves polling (``emit`` ignores) and streaming (``emit`` collects SSE events).
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict
from typing import Any, Callable

from mockapi.content import tools
from mockapi.content.quoting import Quote, answer_from, quotes
from mockapi.content.textgen import reply_text
from mockapi.core.determinism import rng
from mockapi.core.repo import Repo, public
from mockapi.core.tokenizer import count_tokens, tokenize

from ..vector_stores import vectors
from .kinds import messages_kind, steps_kind

Emit = Callable[[str, dict[str, Any]], None]
_CODE_WORDS = re.compile(r"\b(code|calculate|compute|python|plot|chart|csv|analy[sz]e)\b", re.I)




def plan_calls(repo: Repo, run: dict[str, Any], prompt: str) -> list[dict[str, Any]]:
    """The function calls a run asks for, chosen as Chat and Responses choose them (mockapi.content.tools)."""
    functions = [t["function"] for t in run["tools"] if t.get("type") == "function"]
    choice = run.get("tool_choice") or "auto"
    if isinstance(choice, dict) and choice.get("type") == "function":
        choice = choice["function"]["name"]
    elif isinstance(choice, dict):
        return []  # a forced built-in tool: no function call
    specs = [tools.ToolSpec(f["name"], f.get("description") or "", f.get("parameters") or {}, bool(f.get("strict"))) for f in functions]
    parallel = run.get("parallel_tool_calls", True) is not False
    planned = tools.plan_calls(specs, choice, parallel, prompt, rng(repo.seed, run["id"], "tools"))
    return [{"id": repo.new_id("call_", "call"), "type": "function",
             "function": {"name": c.tool.name, "arguments": c.arguments}} for c in planned]


def new_step(repo: Repo, run: dict[str, Any], step_type: str, details: dict[str, Any]) -> dict[str, Any]:
    """Store a new in-progress step of ``run``."""
    step = {"id": repo.new_id("step_", steps_kind(run["id"])), "object": "thread.run.step", "created_at": repo.now(),
            "run_id": run["id"], "assistant_id": run["assistant_id"], "thread_id": run["thread_id"], "type": step_type,
            "status": "in_progress", "cancelled_at": None, "completed_at": None, "expired_at": None, "failed_at": None,
            "last_error": None, "step_details": details, "usage": None, "metadata": {}}
    return repo.put(steps_kind(run["id"]), step)


def finish_step(repo: Repo, step: dict[str, Any], status: str = "completed", usage: dict[str, int] | None = None) -> dict[str, Any]:
    """Close a step with a terminal status."""
    field = {"completed": "completed_at", "cancelled": "cancelled_at", "expired": "expired_at", "failed": "failed_at"}[status]
    step.update({"status": status, field: repo.now()})
    if usage is not None:
        step["usage"] = usage
    return repo.put(steps_kind(step["run_id"]), step)


def open_tool_step(repo: Repo, run: dict[str, Any], calls: list[dict[str, Any]], emit: Emit) -> dict[str, Any]:
    """The step holding the function calls a run waits on (streamed as created, in progress, then a delta)."""
    step = new_step(repo, run, "tool_calls", {"type": "tool_calls", "tool_calls": []})
    emit("thread.run.step.created", public(step))
    emit("thread.run.step.in_progress", public(step))
    tool_calls = [{**c, "function": {**c["function"], "output": None}} for c in calls]
    emit("thread.run.step.delta", {"id": step["id"], "object": "thread.run.step.delta", "delta": {"step_details": {
        "type": "tool_calls", "tool_calls": [{"index": i, **c} for i, c in enumerate(tool_calls)]}}})
    step["step_details"]["tool_calls"] = tool_calls
    return repo.put(steps_kind(run["id"]), step)


def builtin_tools(repo: Repo, run: dict[str, Any], prompt: str, vector_store_ids: list[str], include: list[str], emit: Emit) -> None:
    """Simulate ``file_search`` (a real search of the attached vector stores) and ``code_interpreter`` as steps."""
    kinds = {t.get("type") for t in run["tools"]}
    calls: list[dict[str, Any]] = []
    if "file_search" in kinds and vector_store_ids:
        results = []
        for vs_id in vector_store_ids:
            if repo.get(vectors.KIND, vs_id) is not None:
                results += vectors.search(repo, vs_id, {"query": prompt, "max_num_results": 5})["data"]
        results.sort(key=lambda h: -h["score"])
        shown = [{"file_id": h["file_id"], "file_name": h["filename"], "score": h["score"], "content": h["content"]}
                 for h in results[:5]]
        run["_mock"]["file_quotes"] = [asdict(q) for q in quotes(shown, prompt)]
        calls.append({"id": repo.new_id("call_", "call"), "type": "file_search", "file_search": {
            "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}, "results": shown}})
    if "code_interpreter" in kinds and _CODE_WORDS.search(prompt):
        r = rng(repo.seed, run["id"], "code")
        a, b = r.randint(2, 99), r.randint(2, 99)
        calls.append({"id": repo.new_id("call_", "call"), "type": "code_interpreter", "code_interpreter": {
            "input": f"result = {a} * {b}\nprint(result)", "outputs": [{"type": "logs", "logs": f"{a * b}\n"}]}})
    if calls:
        step = new_step(repo, run, "tool_calls", {"type": "tool_calls", "tool_calls": calls})
        emit("thread.run.step.created", shown_step(step, include))
        emit("thread.run.step.in_progress", shown_step(step, include))
        emit("thread.run.step.completed", shown_step(finish_step(repo, step), include))


RESULT_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"


def shown_step(step: dict[str, Any], include: list[str]) -> dict[str, Any]:
    """A step as the API shows it: file search result content only when ``include`` asks for it."""
    shown = copy.deepcopy(public(step))
    if RESULT_CONTENT not in include and shown["type"] == "tool_calls":
        for tool_call in shown["step_details"]["tool_calls"]:
            for result in (tool_call.get("file_search") or {}).get("results") or []:
                result.pop("content", None)
    return shown


def write_reply(repo: Repo, run: dict[str, Any], prompt: str, prompt_tokens: int, emit: Emit) -> tuple[str, dict[str, int]]:
    """The assistant's message and its step; returns the run's end status and usage."""
    quoted = [Quote(**q) for q in (run.get("_mock") or {}).get("file_quotes") or []]
    text, annotations = _quoted_reply(quoted) if quoted else (reply_text(rng(repo.seed, run["id"], "reply"), prompt), [])
    cap = run.get("max_completion_tokens")
    incomplete = cap is not None and count_tokens(text) > cap
    if incomplete:
        text = "".join(tokenize(text)[:cap])
        annotations = [a for a in annotations if a["end_index"] <= len(text)]
    usage = {"prompt_tokens": prompt_tokens, "completion_tokens": count_tokens(text), "total_tokens": 0}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    now = repo.now()
    message = {"id": repo.new_id("msg_", messages_kind(run["thread_id"])), "object": "thread.message", "created_at": now,
               "thread_id": run["thread_id"], "role": "assistant", "content": [], "assistant_id": run["assistant_id"],
               "run_id": run["id"], "attachments": [], "metadata": {}, "status": "in_progress", "completed_at": None,
               "incomplete_at": None, "incomplete_details": None}
    step = new_step(repo, run, "message_creation", {"type": "message_creation", "message_creation": {"message_id": message["id"]}})
    emit("thread.run.step.created", public(step))
    emit("thread.run.step.in_progress", public(step))
    emit("thread.message.created", public(message))
    emit("thread.message.in_progress", public(message))
    for piece in re.findall(r"\S+(?:\s+\S+){0,3}\s*", text):
        emit("thread.message.delta", {"id": message["id"], "object": "thread.message.delta", "delta": {
            "content": [{"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}]}})
    message["content"] = [{"type": "text", "text": {"value": text, "annotations": annotations}}]
    if incomplete:
        message.update(status="incomplete", incomplete_at=now, incomplete_details={"reason": "max_tokens"})
    else:
        message.update(status="completed", completed_at=now)
    repo.put(messages_kind(run["thread_id"]), message)
    emit("thread.message.incomplete" if incomplete else "thread.message.completed", public(message))
    emit("thread.run.step.completed", public(finish_step(repo, step, usage=usage)))
    return ("incomplete" if incomplete else "completed"), usage


def _quoted_reply(quoted: list[Quote]) -> tuple[str, list[dict[str, Any]]]:
    """A reply quoting the file search passages, each cited with a ``【k:i†source】`` file_citation annotation."""
    text, spans = answer_from(quoted, lambda quote, k: f"【0:{k}†{quote.filename or 'source'}】")
    return text, [{"type": "file_citation", "text": text[start:end], "start_index": start, "end_index": end,
                   "file_citation": {"file_id": quote.file_id}} for quote, start, end in spans]
