"""Administration API handlers: usage, costs and audit logs (read-only views of what the mock recorded)."""

from __future__ import annotations

from typing import Any, Callable

from . import audit, usage
from .access import admin_call
from .records import list_page

USAGE_KINDS = ("completions", "embeddings", "moderations", "images", "audio_speeches", "audio_transcriptions",
               "vector_stores", "code_interpreter_sessions", "file_search_calls", "web_search_calls", "decisions")


def _usage(kind: str) -> Callable[[Any], dict[str, Any]]:
    def handler(call: Any) -> dict[str, Any]:
        return usage.page(call, admin_call(call), kind)

    handler.__name__ = handler.__qualname__ = f"usage_{kind}"
    handler.__doc__ = f"GET /organization/usage/{kind}"
    return handler


def usage_costs(call: Any) -> dict[str, Any]:
    """GET /organization/costs"""
    return usage.page(call, admin_call(call), "costs")


def list_audit_logs(call: Any) -> dict[str, Any]:
    """GET /organization/audit_logs (newest first)"""
    repo = admin_call(call)
    return list_page(call, audit.events(call, repo), noun="audit log", default_order="desc")


HANDLERS = {
    **{"usage" + "".join(p.title() for p in kind.split("_")): _usage(kind) for kind in USAGE_KINDS},
    "usageCosts": usage_costs,
    "listAuditLogs": list_audit_logs,
}
