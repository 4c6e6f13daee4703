"""Assistants v2: create, list, retrieve, modify, delete."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo, public

from . import assistants


def create_assistant(call: Call) -> dict[str, Any]:
    """``POST /v1/assistants``."""
    return assistants.create(Repo(call), call, call.body)


def list_assistants(call: Call) -> dict[str, Any]:
    """``GET /v1/assistants``."""
    return assistants.list_page(Repo(call), call.query)


def get_assistant(call: Call) -> dict[str, Any]:
    """``GET /v1/assistants/{assistant_id}``."""
    return public(assistants.require(Repo(call), call.path_params["assistant_id"]))


def modify_assistant(call: Call) -> dict[str, Any]:
    """``POST /v1/assistants/{assistant_id}``."""
    return assistants.modify(Repo(call), call, call.path_params["assistant_id"], call.body)


def delete_assistant(call: Call) -> dict[str, Any]:
    """``DELETE /v1/assistants/{assistant_id}``."""
    return assistants.delete(Repo(call), call.path_params["assistant_id"])


HANDLERS = {
    "createAssistant": create_assistant, "listAssistants": list_assistants, "getAssistant": get_assistant,
    "modifyAssistant": modify_assistant, "deleteAssistant": delete_assistant,
}
