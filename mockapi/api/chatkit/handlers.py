"""ChatKit: sessions (create, cancel) and threads (list, retrieve, delete, items)."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo, public

from . import chatkit


def create_session(call: Call) -> dict[str, Any]:
    """``POST /v1/chatkit/sessions``."""
    repo = Repo(call)
    return chatkit.session_view(repo, chatkit.create_session(repo, call.id_digest(), call.body))


def cancel_session(call: Call) -> dict[str, Any]:
    """``POST /v1/chatkit/sessions/{session_id}/cancel``."""
    return chatkit.cancel_session(Repo(call), call.path_params["session_id"])


def list_threads(call: Call) -> dict[str, Any]:
    """``GET /v1/chatkit/threads``."""
    return chatkit.list_threads(Repo(call), call.query)


def retrieve_thread(call: Call) -> dict[str, Any]:
    """``GET /v1/chatkit/threads/{thread_id}``."""
    return public(chatkit.require_thread(Repo(call), call.path_params["thread_id"]))


def delete_thread(call: Call) -> dict[str, Any]:
    """``DELETE /v1/chatkit/threads/{thread_id}``."""
    return chatkit.delete_thread(Repo(call), call.path_params["thread_id"])


def list_thread_items(call: Call) -> dict[str, Any]:
    """``GET /v1/chatkit/threads/{thread_id}/items``."""
    return chatkit.list_items(Repo(call), call.path_params["thread_id"], call.query)


HANDLERS = {
    "createChatKitSession": create_session, "cancelChatKitSession": cancel_session, "listChatKitThreads": list_threads,
    "retrieveChatKitThread": retrieve_thread, "deleteChatKitThread": delete_thread,
    "listChatKitThreadItems": list_thread_items,
}
