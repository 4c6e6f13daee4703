"""Threads and their messages."""

from __future__ import annotations

from typing import Any

from mockapi.core.pages import paginate
from mockapi.core.repo import SYNTHESIZERS, Repo, metadata_of, public, synthetic_time

from ..files import files
from .assistants import tool_resources
from .kinds import ACTIVE_RUN, THREADS, messages_kind, runs_kind, steps_kind

KIND, ACTIVE_KIND = THREADS, ACTIVE_RUN
ACTIVE = ("queued", "in_progress", "requires_action", "cancelling")


def create(repo: Repo, call: Any, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /threads`` with its initial messages."""
    thread = {"id": repo.new_id("thread_", KIND), "object": "thread", "created_at": repo.now(),
              "metadata": metadata_of(body, {}), "tool_resources": tool_resources(repo, call, body.get("tool_resources"))}
    repo.put(KIND, thread)
    for message in body.get("messages") or []:
        add_message(repo, thread["id"], message)
    return public(thread)


def require(repo: Repo, thread_id: str) -> dict[str, Any]:
    """The thread, or 404."""
    return repo.require(KIND, thread_id, "thread", "thread_")


def modify(repo: Repo, call: Any, thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /threads/{id}``: metadata and tool resources."""
    thread = require(repo, thread_id)
    if "metadata" in body:
        thread["metadata"] = metadata_of(body) or {}
    if "tool_resources" in body:
        thread["tool_resources"] = tool_resources(repo, call, body["tool_resources"])
    return public(repo.put(KIND, thread))


def delete(repo: Repo, thread_id: str) -> dict[str, Any]:
    """``DELETE /threads/{id}`` with its messages, runs and steps."""
    require(repo, thread_id)
    for run in repo.list(runs_kind(thread_id)):
        for step in repo.list(steps_kind(run["id"])):
            repo.delete(steps_kind(run["id"]), step["id"])
        repo.delete(runs_kind(thread_id), run["id"])
    for message in repo.list(messages_kind(thread_id)):
        repo.delete(messages_kind(thread_id), message["id"])
    repo.delete(ACTIVE_KIND, thread_id)
    repo.delete(KIND, thread_id)
    return {"id": thread_id, "object": "thread.deleted", "deleted": True}


# -- messages ------------------------------------------------------------------------------
def content_parts(content: Any) -> list[dict[str, Any]]:
    """Request content (a string or parts) as stored message content blocks."""
    if isinstance(content, str):
        return [{"type": "text", "text": {"value": content, "annotations": []}}]
    out = []
    for part in content:
        if part["type"] == "text":
            out.append({"type": "text", "text": {"value": part["text"], "annotations": []}})
        elif part["type"] == "image_file":
            out.append({"type": "image_file", "image_file": {"detail": "auto", **part["image_file"]}})
        else:
            out.append({"type": "image_url", "image_url": {"detail": "auto", **part["image_url"]}})
    return out


def text_of(message: dict[str, Any]) -> str:
    """The text blocks of a message, joined."""
    return "\n".join(b["text"]["value"] for b in message["content"] if b["type"] == "text")


def add_message(repo: Repo, thread_id: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Store a new message on a thread (no active-run check: runs add their own)."""
    # An attachment without a ``file_id`` attaches nothing. The SDK's types make both its fields optional and
    # no observed error names a missing file_id (the one on record, openai-python#1335, names
    # ``attachments[0].tools`` for a 2024 request shape), so when unsure we accept it, and drop it.
    attachments = [a for a in body.get("attachments") or [] if isinstance(a, dict) and "file_id" in a]
    for attachment in attachments:
        files.require(repo, attachment["file_id"])
    now = repo.now()
    message = {"id": repo.new_id("msg_", messages_kind(thread_id)), "object": "thread.message", "created_at": now,
               "thread_id": thread_id, "role": body["role"], "content": content_parts(body["content"]),
               "assistant_id": None, "run_id": None, "attachments": attachments,
               "metadata": metadata_of(body, {}), "status": "completed", "completed_at": now, "incomplete_at": None,
               "incomplete_details": None}
    message.update(extra)
    return repo.put(messages_kind(thread_id), message)


def create_message(repo: Repo, thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /threads/{id}/messages`` (the handler first refuses it while a run is active: ``runs.refuse_while_active``)."""
    require(repo, thread_id)
    return public(add_message(repo, thread_id, body))


def require_message(repo: Repo, thread_id: str, message_id: str) -> dict[str, Any]:
    """A message of the thread, or 404."""
    require(repo, thread_id)
    return repo.require(messages_kind(thread_id), message_id, "message", "msg_", thread_id=thread_id)


def list_messages(repo: Repo, thread_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /threads/{id}/messages``: newest first by default, optionally one run's."""
    require(repo, thread_id)
    items = [public(m) for m in repo.list(messages_kind(thread_id))]
    if query.get("run_id"):
        items = [m for m in items if m["run_id"] == query["run_id"]]
    return paginate(items, query)


def modify_message(repo: Repo, thread_id: str, message_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /threads/{id}/messages/{message_id}``: metadata."""
    message = require_message(repo, thread_id, message_id)
    if "metadata" in body:
        message["metadata"] = metadata_of(body) or {}
    return public(repo.put(messages_kind(thread_id), message))


def delete_message(repo: Repo, thread_id: str, message_id: str) -> dict[str, Any]:
    """``DELETE /threads/{id}/messages/{message_id}``."""
    require_message(repo, thread_id, message_id)
    repo.delete(messages_kind(thread_id), message_id)
    return {"id": message_id, "object": "thread.message.deleted", "deleted": True}


def _synthesize(repo: Repo, thread_id: str, scope: dict[str, str]) -> dict[str, Any]:
    return {"id": thread_id, "object": "thread", "created_at": synthetic_time(thread_id), "metadata": {}, "tool_resources": {}}


def _synthesize_message(repo: Repo, message_id: str, scope: dict[str, str]) -> dict[str, Any]:
    created = synthetic_time(message_id)
    return {"id": message_id, "object": "thread.message", "created_at": created, "thread_id": scope.get("thread_id", ""),
            "role": "user", "content": content_parts("Hello."), "assistant_id": None, "run_id": None, "attachments": [],
            "metadata": {}, "status": "completed", "completed_at": created, "incomplete_at": None, "incomplete_details": None}


SYNTHESIZERS[KIND] = _synthesize
SYNTHESIZERS["thread.message"] = _synthesize_message
