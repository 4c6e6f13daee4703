"""Containers: create, look up (with expiry from ``last_active_at``), list, delete; the files they hold.

A container expires ``expires_after.minutes`` after it was last active (default 20, the code
interpreter's documented idle timeout); activity is any use of it or its files.
source: https://platform.openai.com/docs/guides/tools-code-interpreter#containers
"""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import SYNTHESIZERS, Repo, public, synthetic_time

KIND = "container"
PREFIX = "cntr_"
IDLE_MINUTES = 20


def container_id(identity: str) -> str:
    """A container id in the real shape: ``cntr_`` and 48 hex digits."""
    return make_id(PREFIX, "container", identity, length=48, alphabet=HEX)


def _status(repo: Repo, obj: dict[str, Any]) -> str:
    minutes = (obj.get("expires_after") or {}).get("minutes") or IDLE_MINUTES
    return "expired" if repo.now() >= obj["last_active_at"] + minutes * 60 else "running"


def view(repo: Repo, obj: dict[str, Any]) -> dict[str, Any]:
    """The API view of a stored container, its status as of now."""
    return {**public(obj), "status": _status(repo, obj)}


def create(repo: Repo, identity: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /containers``: a running container (files named by ``file_ids`` are copied in by the caller)."""
    now = repo.now()
    expires = body.get("expires_after") or {"anchor": "last_active_at", "minutes": IDLE_MINUTES}
    obj: dict[str, Any] = {
        "id": container_id(identity), "object": "container", "created_at": now, "status": "running",
        "expires_after": {"anchor": expires.get("anchor", "last_active_at"), "minutes": expires.get("minutes", IDLE_MINUTES)},
        "last_active_at": now, "memory_limit": body.get("memory_limit") or "1g", "name": body.get("name", ""),
    }
    if body.get("network_policy") is not None:
        obj["network_policy"] = body["network_policy"]
    return repo.put(KIND, obj)


def register_auto(repo: Repo, container: str, name: str = "Code Interpreter Container") -> None:
    """Record a container the code interpreter made with ``container: {"type": "auto"}`` (once)."""
    if repo.get(KIND, container) is None:
        now = repo.now()
        repo.put(KIND, {"id": container, "object": "container", "created_at": now, "status": "running",
                        "expires_after": {"anchor": "last_active_at", "minutes": IDLE_MINUTES},
                        "last_active_at": now, "memory_limit": "1g", "name": name})


def register_from_output(repo: Repo, tools: list[Any], output: list[dict[str, Any]]) -> None:
    """Record the containers a Responses call's code interpreter made (``container: {"type": "auto"}``)."""
    if not any(isinstance(t, dict) and t.get("type") == "code_interpreter" and isinstance(t.get("container"), dict)
               for t in tools):
        return
    named = {t["container"] for t in tools if isinstance(t, dict) and isinstance(t.get("container"), str)}
    for item in output:
        if item.get("type") == "code_interpreter_call" and item.get("container_id") not in named:
            register_auto(repo, item["container_id"])


def require(repo: Repo, cid: str) -> dict[str, Any]:
    """A container of this tenant (running or expired), or the real 404."""
    return repo.require(KIND, cid, "container", PREFIX)


def require_running(repo: Repo, cid: str) -> dict[str, Any]:
    """A container that is still running, marked active now.

    An expired container's record stays readable (status ``expired``) but its data is discarded,
    so its files are gone.
    """
    obj = require(repo, cid)
    if _status(repo, obj) == "expired":
        raise NotFoundError(f"Container {cid} is expired; its files were discarded.", code="container_expired")
    obj["last_active_at"] = repo.now()
    return repo.put(KIND, obj)


def list_page(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /containers``: newest first, optionally only those with a given ``name``."""
    items = [view(repo, o) for o in repo.list(KIND)]
    if query.get("name"):
        items = [o for o in items if o["name"] == query["name"]]
    return paginate(items, query, default_order="desc")


def delete(repo: Repo, cid: str) -> dict[str, Any]:
    """``DELETE /containers/{id}`` (the caller drops its files first: see ``container_files.drop_all``)."""
    require(repo, cid)
    repo.delete(KIND, cid)
    return {"id": cid, "object": "container.deleted", "deleted": True}


def _synthesize(repo: Repo, cid: str, scope: dict[str, str]) -> dict[str, Any]:
    created = synthetic_time(cid)
    return {"id": cid, "object": "container", "created_at": created, "status": "running",
            "expires_after": {"anchor": "last_active_at", "minutes": IDLE_MINUTES}, "last_active_at": repo.now(),
            "memory_limit": "1g", "name": "container"}


SYNTHESIZERS[KIND] = _synthesize
