"""Audit logs: every change made through the mock's Administration API, in the real event shape.

An event is ``{id: "audit_log-…", type, effective_at, actor, project?, "<type>": {id, data?}}`` as the
SDK's ``AuditLogListResponse`` reads it; the actor is the admin key that made the call
(``{type: "api_key", api_key: {id, type: "user", user: {id, email}}}``).
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import parse_qsl

from mockapi.core.determinism import digest
from mockapi.core.repo import Repo

from .access import organization_of, presented_key
from .keys import KEY_INDEX, key_id_for
from .projects import owner

AUDIT = "admin.audit_log"


def record(call: Any, repo: Repo, event_type: str, object_id: str, data: Mapping[str, Any] | None = None,
           project: Mapping[str, Any] | None = None) -> None:
    """Append one event for a change the call made."""
    secret = presented_key(call.request.headers)
    indexed = repo.get(KEY_INDEX, digest(secret))
    user = owner(repo, organization_of(call.request.headers, call.key.organization))
    event: dict[str, Any] = {
        "id": repo.new_id("audit_log-", AUDIT),
        "type": event_type,
        "effective_at": repo.now(),
        "actor": {"type": "api_key", "api_key": {"id": indexed["key_id"] if indexed else key_id_for(repo.seed, secret),
                                                 "type": "user", "user": {"id": user["id"], "email": user.get("email")}}},
        event_type: {"id": object_id, **({"data": dict(data)} if data else {})},
    }
    if project is not None:
        event["project"] = {"id": project["id"], "name": project.get("name")}
    repo.put(AUDIT, event)


def _many(query: str, name: str) -> list[str]:
    return [v for k, v in parse_qsl(query) if k in (name, f"{name}[]")]


def events(call: Any, repo: Repo) -> list[dict[str, Any]]:
    """The events a list call asks for (``event_types``, ``project_ids``, ``resource_ids``, ``actor_ids``,
    ``effective_at[gt|gte|lt|lte]``), oldest first."""
    query = call.request.query
    types, projects = _many(query, "event_types"), _many(query, "project_ids")
    resources, actors = _many(query, "resource_ids"), _many(query, "actor_ids")
    bounds = {op: int(v) for k, v in call.query.items() if k.startswith("effective_at[")
              for op in [k[len("effective_at["):-1]] if v.lstrip("-").isdigit() and len(v) <= 20}
    out = []
    for event in repo.list(AUDIT):
        at = event["effective_at"]
        if types and event["type"] not in types:
            continue
        if projects and (event.get("project") or {}).get("id") not in projects:
            continue
        if resources and event[event["type"]].get("id") not in resources:
            continue
        if actors and event["actor"]["api_key"]["id"] not in actors and event["actor"]["api_key"]["user"]["id"] not in actors:
            continue
        if ("gt" in bounds and at <= bounds["gt"]) or ("gte" in bounds and at < bounds["gte"]) \
                or ("lt" in bounds and at >= bounds["lt"]) or ("lte" in bounds and at > bounds["lte"]):
            continue
        out.append(event)
    return out
