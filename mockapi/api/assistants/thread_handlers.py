"""Assistants v2 threads, messages, runs (polled or streamed) and run steps."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from mockapi.core.engine import Call
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo, public
from mockapi.core.results import Event, Stream

from . import runs, threads


def _ids(call: Call, *names: str) -> list[str]:
    return [call.path_params[n] for n in names]


def _include(call: Call) -> list[str]:
    return [v for k, v in parse_qsl(call.request.query) if k in ("include", "include[]")]


def _stream(events: list[tuple[str, dict[str, Any]]]) -> Stream:
    return Stream(events=[Event(data, name) for name, data in events], dialect="assistants")


def _polled(call: Call) -> None:
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS


def create_thread(call: Call) -> dict[str, Any]:
    """``POST /v1/threads``."""
    return threads.create(Repo(call), call, call.body)


def get_thread(call: Call) -> dict[str, Any]:
    """``GET /v1/threads/{thread_id}``."""
    return public(threads.require(Repo(call), call.path_params["thread_id"]))


def modify_thread(call: Call) -> dict[str, Any]:
    """``POST /v1/threads/{thread_id}``."""
    return threads.modify(Repo(call), call, call.path_params["thread_id"], call.body)


def delete_thread(call: Call) -> dict[str, Any]:
    """``DELETE /v1/threads/{thread_id}``."""
    return threads.delete(Repo(call), call.path_params["thread_id"])


def create_message(call: Call) -> dict[str, Any]:
    """``POST /v1/threads/{thread_id}/messages``: refused while a run is active on the thread."""
    repo, thread_id = Repo(call), call.path_params["thread_id"]
    threads.require(repo, thread_id)
    runs.refuse_while_active(repo, thread_id)
    return threads.create_message(repo, thread_id, call.body)


def list_messages(call: Call) -> dict[str, Any]:
    """``GET /v1/threads/{thread_id}/messages``."""
    return threads.list_messages(Repo(call), call.path_params["thread_id"], call.query)


def get_message(call: Call) -> dict[str, Any]:
    """``GET /v1/threads/{thread_id}/messages/{message_id}``."""
    return public(threads.require_message(Repo(call), *_ids(call, "thread_id", "message_id")))


def modify_message(call: Call) -> dict[str, Any]:
    """``POST /v1/threads/{thread_id}/messages/{message_id}``."""
    return threads.modify_message(Repo(call), *_ids(call, "thread_id", "message_id"), call.body)


def delete_message(call: Call) -> dict[str, Any]:
    """``DELETE /v1/threads/{thread_id}/messages/{message_id}``."""
    return threads.delete_message(Repo(call), *_ids(call, "thread_id", "message_id"))


def _start_run(call: Call, repo: Repo, thread_id: str, body: dict[str, Any], prefix: list[tuple[str, dict[str, Any]]]) -> Any:
    run = runs.create(repo, call, thread_id, body, _include(call))
    if body.get("stream"):
        return _stream(prefix + runs.stream_new(repo, run))
    _polled(call)
    return public(run)


def create_run(call: Call) -> Any:
    """``POST /v1/threads/{thread_id}/runs`` (``stream: true`` streams the run to its next stop)."""
    return _start_run(call, Repo(call), call.path_params["thread_id"], call.body, [])


def create_thread_and_run(call: Call) -> Any:
    """``POST /v1/threads/runs``."""
    repo, body = Repo(call), call.body
    thread_body = dict(body.get("thread") or {})
    if body.get("tool_resources") and not thread_body.get("tool_resources"):
        thread_body["tool_resources"] = body["tool_resources"]
    run_body = {k: v for k, v in body.items() if k not in ("thread", "tool_resources")}
    from . import assistants

    assistants.require(repo, body["assistant_id"])  # 404 before any thread is made
    thread = threads.create(repo, call, thread_body)
    return _start_run(call, repo, thread["id"], run_body, [("thread.created", thread)])


def list_runs(call: Call) -> dict[str, Any]:
    """``GET /v1/threads/{thread_id}/runs``."""
    return runs.list_page(Repo(call), call.path_params["thread_id"], call.query)


def get_run(call: Call) -> dict[str, Any]:
    """``GET /v1/threads/{thread_id}/runs/{run_id}``: each retrieve is a poll that may move the run on."""
    repo = Repo(call)
    _polled(call)
    return public(runs.advance(repo, runs.require(repo, *_ids(call, "thread_id", "run_id")), polled=True))


def modify_run(call: Call) -> dict[str, Any]:
    """``POST /v1/threads/{thread_id}/runs/{run_id}``."""
    return public(runs.modify(Repo(call), *_ids(call, "thread_id", "run_id"), call.body))


def cancel_run(call: Call) -> dict[str, Any]:
    """``POST /v1/threads/{thread_id}/runs/{run_id}/cancel``."""
    _polled(call)
    return public(runs.cancel(Repo(call), *_ids(call, "thread_id", "run_id")))


def submit_tool_outputs(call: Call) -> Any:
    """``POST …/runs/{run_id}/submit_tool_outputs`` (streams when asked)."""
    stream = bool(call.body.get("stream"))
    run, events = runs.submit_tool_outputs(Repo(call), *_ids(call, "thread_id", "run_id"), list(call.body["tool_outputs"]), stream)
    if stream:
        return _stream(events)
    _polled(call)
    return public(run)


def list_run_steps(call: Call) -> dict[str, Any]:
    """``GET …/runs/{run_id}/steps``."""
    return runs.list_steps(Repo(call), *_ids(call, "thread_id", "run_id"), call.query, _include(call))


def get_run_step(call: Call) -> dict[str, Any]:
    """``GET …/runs/{run_id}/steps/{step_id}``."""
    return runs.require_step(Repo(call), *_ids(call, "thread_id", "run_id", "step_id"), _include(call))


HANDLERS = {
    "createThread": create_thread, "getThread": get_thread, "modifyThread": modify_thread, "deleteThread": delete_thread,
    "createThreadAndRun": create_thread_and_run,
    "createMessage": create_message, "listMessages": list_messages, "getMessage": get_message,
    "modifyMessage": modify_message, "deleteMessage": delete_message,
    "createRun": create_run, "listRuns": list_runs, "getRun": get_run, "modifyRun": modify_run, "cancelRun": cancel_run,
    "submitToolOuputsToRun": submit_tool_outputs, "listRunSteps": list_run_steps, "getRunStep": get_run_step,
}
