"""The Administration API's plain resources: CRUD with no rules of their own, driven by the operation's path.

Groups, roles, certificates, external keys and storage, spend alerts, workload identity providers and
their federation rules are collections (``.../groups``, ``.../groups/{group_id}``); role and membership
assignments (``.../groups/{group_id}/users``) take their id from the body (``user_id``, ``role_id``,
``group_id``); settings without an id (spend limit, data retention, model and hosted tool permissions,
service tier settings) are one object per organization or project. Objects answer through each
operation's own response schema (:func:`records.shaped`).
"""

from __future__ import annotations

import re
from typing import Any

from mockapi.core.errors import InvalidRequestError
from mockapi.core.repo import Repo

from . import audit, projects
from .records import PlainResource, Singleton, list_page, shaped

# The id prefix of objects a collection makes (assignments take the id they are given).
PREFIXES = {"certificates": "cert_", "external_keys": "extkey_", "external_storage": "extstore_", "groups": "group_",
            "roles": "role_", "spend_alerts": "alert_", "workload_identity_providers": "wip_", "federation_rules": "wifr_"}
ASSIGNED_BY = {"users": "user_id", "roles": "role_id", "groups": "group_id"}
# Audit event names per collection: (created, updated, deleted).
EVENTS = {"certificates": ("certificate.created", "certificate.updated", "certificate.deleted"),
          "external_keys": ("external_key.registered", None, "external_key.removed"),
          "external_storage": ("external_storage.registered", None, "external_storage.removed"),
          "groups": ("group.created", "group.updated", "group.deleted"),
          "roles": ("role.created", "role.updated", "role.deleted"),
          "workload_identity_providers": ("workload_identity_provider.created", "workload_identity_provider.updated",
                                          "workload_identity_provider.deleted")}


def _collection(call: Any) -> tuple[str, str | None]:
    """The collection template of the call's path and the id parameter of the object, if the path names one."""
    path = call.op.path
    for suffix in ("/activate", "/deactivate", "/validate"):
        path = path.removesuffix(suffix)
    last = re.search(r"/{(\w+)}$", path)
    if last and call.op.operation_id.startswith(("retrieve", "modify", "delete", "validate")):
        return path[: last.start()], last.group(1)
    return path, None


def _parent(call: Any, repo: Repo, template: str) -> str:
    """The parent ids of a nested collection, each checked (an unknown parent is the real 404)."""
    names = re.findall(r"{(\w+)}", template)
    for i, name in enumerate(names):
        value = call.path_params[name]
        collection = template[: template.index("{" + name + "}")].rstrip("/")
        if name == "project_id":
            project = projects.get(repo, value)
            if call.request.method != "GET":
                projects.require_active(project)
        elif name == "user_id" and collection.startswith("/projects/"):
            projects.project_user(repo, call.path_params["project_id"], value)
        elif name == "user_id":
            repo.require(projects.USER, value, "user", "user-")
        else:  # a plain parent: a group (of the organization or of a project), a workload identity provider
            stored = collection.replace("/projects/", "/organization/projects/", 1) if collection.startswith("/projects/") else collection
            segment = stored.rsplit("/", 1)[-1]
            parent_ids = "/".join(call.path_params[n] for n in names[:i])
            PlainResource(f"admin.plain:{stored}", PREFIXES.get(segment, ""), segment.rstrip("s").replace("_", " ")).get(
                repo, value, parent_ids)
    return "/".join(call.path_params[n] for n in names)


def _events(template: str, assigned: bool) -> tuple[str | None, str | None, str | None]:
    if assigned and template.endswith("/roles"):
        return "role.assignment.created", None, "role.assignment.deleted"
    if assigned:
        return None, None, None
    return EVENTS.get(template.rsplit("/", 1)[-1], (None, None, None))


def answer(call: Any, repo: Repo) -> dict[str, Any]:
    """Carry out the call's operation on its plain resource."""
    template, id_param = _collection(call)
    segment = template.rsplit("/", 1)[-1]
    parent = _parent(call, repo, template)
    action = re.match(r"[a-z]+", call.op.operation_id).group(0)  # type: ignore[union-attr]
    body = call.body if isinstance(call.body, dict) else {}
    if segment not in PREFIXES and segment not in ASSIGNED_BY:  # a setting: one object per owner
        setting = Singleton(f"admin.setting:{template}")
        owner = parent or "organization"
        if action == "modify":
            return shaped(call, setting.update(repo, owner, body))
        if action == "delete":
            return shaped(call, {**setting.reset(repo, owner), "deleted": True})
        return shaped(call, setting.get(repo, owner))
    assigned = segment in ASSIGNED_BY and template.count("{") > 0 and not template.endswith(("/organization/roles",))
    assigned = assigned and not re.fullmatch(r"/projects/{project_id}/roles", template)
    resource = PlainResource(f"admin.plain:{template}", PREFIXES.get(segment, ""), segment.rstrip("s").replace("_", " "))
    created, updated, removed = _events(template, assigned)
    if action == "create":
        object_id = body.get(ASSIGNED_BY[segment]) if assigned else None
        if assigned and not object_id:
            raise InvalidRequestError(f"Missing required parameter: '{ASSIGNED_BY[segment]}'.", param=ASSIGNED_BY[segment],
                                      code="missing_required_parameter")
        obj = resource.create(repo, body, parent, object_id)
        _audit(call, repo, created, obj["id"])
        return shaped(call, obj)
    if action in ("activate", "deactivate"):
        return _activation(call, repo, resource, parent, action == "activate")
    if action == "list":
        return list_page(call, [shaped(call, o) for o in resource.all(repo, parent)], noun=resource.noun)
    object_id = call.path_params[id_param] if id_param else ""
    if action == "modify":
        obj = resource.update(repo, object_id, body, parent)
        _audit(call, repo, updated, object_id)
        return shaped(call, obj)
    if action == "delete":
        obj = resource.delete(repo, object_id, parent)
        _audit(call, repo, removed, object_id)
        return shaped(call, {"id": obj["id"], "deleted": True})
    return shaped(call, resource.get(repo, object_id, parent))


def _activation(call: Any, repo: Repo, resource: PlainResource, parent: str, active: bool) -> dict[str, Any]:
    """Activate or deactivate certificates (organization-wide, or for one project)."""
    certificates = PlainResource("admin.plain:/organization/certificates", "cert_", "certificate")
    changed = []
    for certificate_id in (call.body or {}).get("certificate_ids") or []:
        certificate = {**certificates.get(repo, certificate_id), "active": active}
        repo.put(resource.kind_for(parent), certificate)  # a project's activation is its own record
        changed.append(shaped(call, certificate))
    _audit(call, repo, "certificates.activated" if active else "certificates.deactivated", ",".join(
        (call.body or {}).get("certificate_ids") or []))
    return {"object": "list", "data": changed, "first_id": None, "last_id": None, "has_more": False}


def _audit(call: Any, repo: Repo, event_type: str | None, object_id: str) -> None:
    if event_type:
        project = projects.get(repo, call.path_params["project_id"]) if "project_id" in call.path_params else None
        audit.record(call, repo, event_type, object_id, None, project)
