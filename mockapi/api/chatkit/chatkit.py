"""ChatKit sessions (``cksess_``, an ``ek_`` client secret, expiry on the mock clock) and threads (``cthr_``).

Defaults follow the SDK's parameter docstrings (openai/types/beta/chatkit/*_param.py): sessions
expire 10 minutes after creation, 10 requests a minute, uploads off (10 files, 512 MB each when
on), history on, automatic thread titles on, tracing on.

Threads are made by the ChatKit frontend's own traffic, which the public API does not expose;
``add_thread`` records one (a test or a fixture seeds them) so the thread endpoints have something to show.
"""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, public

SESSION, THREAD = "chatkit_session", "chatkit_thread"
DEFAULT_TTL = 600
DEFAULT_RATE = 10


def _items_kind(thread_id: str) -> str:
    return f"chatkit_item:{thread_id}"


def create_session(repo: Repo, identity: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /chatkit/sessions``: an active session with its client secret and effective configuration."""
    config = body.get("chatkit_configuration") or {}
    uploads, history = config.get("file_upload") or {}, config.get("history") or {}
    workflow = body["workflow"]
    rate = (body.get("rate_limits") or {}).get("max_requests_per_1_minute", DEFAULT_RATE)
    now = repo.now()
    obj = {
        "id": make_id("cksess_", "chatkit-session", identity, length=32, alphabet=HEX),
        "object": "chatkit.session", "status": "active", "user": body["user"],
        "client_secret": make_id("ek_", "chatkit-secret", identity, length=32, alphabet=HEX),
        "expires_at": now + int((body.get("expires_after") or {}).get("seconds", DEFAULT_TTL)),
        "max_requests_per_1_minute": rate, "rate_limits": {"max_requests_per_1_minute": rate},
        "workflow": {"id": workflow["id"], "version": workflow.get("version"),
                     "state_variables": workflow.get("state_variables"),
                     "tracing": {"enabled": (workflow.get("tracing") or {}).get("enabled", True)}},
        "chatkit_configuration": {
            "automatic_thread_titling": {"enabled": (config.get("automatic_thread_titling") or {}).get("enabled", True)},
            "file_upload": {"enabled": uploads.get("enabled", False), "max_file_size": uploads.get("max_file_size", 512),
                            "max_files": uploads.get("max_files", 10)},
            "history": {"enabled": history.get("enabled", True), "recent_threads": history.get("recent_threads")},
        },
    }
    return repo.put(SESSION, obj)


def session_view(repo: Repo, obj: dict[str, Any]) -> dict[str, Any]:
    """A session as of now: an active one past ``expires_at`` reads ``expired``."""
    view = public(obj)
    if view["status"] == "active" and repo.now() >= view["expires_at"]:
        view["status"] = "expired"
    return view


def cancel_session(repo: Repo, session_id: str) -> dict[str, Any]:
    """``POST /chatkit/sessions/{id}/cancel``: the session stops accepting requests."""
    obj = repo.get(SESSION, session_id)
    if obj is None:
        raise NotFoundError(f"No session found with id '{session_id}'.")
    if session_view(repo, obj)["status"] == "active":
        obj["status"] = "cancelled"
        repo.put(SESSION, obj)
    return session_view(repo, obj)


def add_thread(repo: Repo, identity: str, user: str, title: str | None, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Record a thread (and its items, each needing ``type`` and its fields) as the ChatKit frontend would."""
    thread_id = make_id("cthr_", "chatkit-thread", identity, length=32, alphabet=HEX)
    now = repo.now()
    for n, item in enumerate(items):
        repo.put(_items_kind(thread_id), {"id": make_id("cti_", thread_id, n, length=32, alphabet=HEX),
                                          "object": "chatkit.thread_item", "created_at": now, "thread_id": thread_id, **item})
    return repo.put(THREAD, {"id": thread_id, "object": "chatkit.thread", "created_at": now, "status": {"type": "active"},
                             "title": title, "user": user})


def require_thread(repo: Repo, thread_id: str) -> dict[str, Any]:
    """A thread of this tenant, or the real 404."""
    found = repo.get(THREAD, thread_id)
    if found is None:
        raise NotFoundError(f"No thread found with id '{thread_id}'.")
    return found


def list_threads(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /chatkit/threads``: newest first, optionally one ``user``'s."""
    items = [public(t) for t in repo.list(THREAD)]
    if query.get("user"):
        items = [t for t in items if t["user"] == query["user"]]
    return paginate(items, query, default_order="desc")


def list_items(repo: Repo, thread_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /chatkit/threads/{id}/items``."""
    require_thread(repo, thread_id)
    return paginate([public(i) for i in repo.list(_items_kind(thread_id))], query, default_order="desc")


def delete_thread(repo: Repo, thread_id: str) -> dict[str, Any]:
    """``DELETE /chatkit/threads/{id}``: the thread and its items."""
    require_thread(repo, thread_id)
    for item in repo.list(_items_kind(thread_id)):
        repo.delete(_items_kind(thread_id), item["id"])
    repo.delete(THREAD, thread_id)
    return {"id": thread_id, "object": "chatkit.thread.deleted", "deleted": True}
