"""Administration API handlers: projects, their users, the organization's users and invites.

Each starts with :func:`access.admin_call` (an admin key, or the real 401), calls the domain module,
records an audit event for a change, and renders.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from mockapi.core.repo import public

from . import audit, people, projects
from .access import admin_call, organization_of
from .records import deleted, list_page


def create_project(call: Any) -> dict[str, Any]:
    """POST /organization/projects"""
    repo = admin_call(call)
    project = projects.create(repo, call.body)
    audit.record(call, repo, "project.created", project["id"], {"name": project["name"]}, project)
    return project


def retrieve_project(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}"""
    return projects.get(admin_call(call), call.path_params["project_id"])


def modify_project(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}"""
    repo = admin_call(call)
    project = projects.update(repo, call.path_params["project_id"], call.body)
    audit.record(call, repo, "project.updated", project["id"], {"changes_requested": {"title": project.get("name")}}, project)
    return project


def archive_project(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/archive"""
    repo = admin_call(call)
    project = projects.archive(repo, call.path_params["project_id"])
    audit.record(call, repo, "project.archived", project["id"], None, project)
    return project


def list_projects(call: Any) -> dict[str, Any]:
    """GET /organization/projects (archived ones with ``include_archived=true``)"""
    repo = admin_call(call)
    return list_page(call, projects.listed(repo, call.query.get("include_archived") == "true"), noun="project")


def create_project_user(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/users"""
    repo = admin_call(call)
    pid = call.path_params["project_id"]
    member = projects.add_user(repo, pid, call.body)
    audit.record(call, repo, "user.added", member["id"], {"role": member["role"]}, projects.get(repo, pid))
    return member


def retrieve_project_user(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/users/{user_id}"""
    return projects.project_user(admin_call(call), call.path_params["project_id"], call.path_params["user_id"])


def modify_project_user(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/users/{user_id}"""
    repo = admin_call(call)
    pid = call.path_params["project_id"]
    member = projects.update_project_user(repo, pid, call.path_params["user_id"], call.body)
    audit.record(call, repo, "user.updated", member["id"], {"changes_requested": {"role": member["role"]}}, projects.get(repo, pid))
    return member


def delete_project_user(call: Any) -> dict[str, Any]:
    """DELETE /organization/projects/{project_id}/users/{user_id}"""
    repo = admin_call(call)
    pid, uid = call.path_params["project_id"], call.path_params["user_id"]
    projects.remove_user(repo, pid, uid)
    audit.record(call, repo, "user.deleted", uid, None, projects.get(repo, pid))
    return deleted("organization.project.user.deleted", uid)


def list_project_users(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/users"""
    repo = admin_call(call)
    projects.get(repo, call.path_params["project_id"])
    return list_page(call, repo.list(f"{projects.PROJECT_USER}:{call.path_params['project_id']}"), noun="user")


def retrieve_user(call: Any) -> dict[str, Any]:
    """GET /organization/users/{user_id}"""
    return people.get_user(admin_call(call), call.path_params["user_id"])


def modify_user(call: Any) -> dict[str, Any]:
    """POST /organization/users/{user_id}"""
    repo = admin_call(call)
    user = people.update_user(repo, call.path_params["user_id"], call.body)
    audit.record(call, repo, "user.updated", user["id"], {"changes_requested": {"role": user.get("role")}})
    return user


def delete_user(call: Any) -> dict[str, Any]:
    """DELETE /organization/users/{user_id}"""
    repo = admin_call(call)
    people.remove_user(repo, call.path_params["user_id"])
    audit.record(call, repo, "user.deleted", call.path_params["user_id"])
    return deleted("organization.user.deleted", call.path_params["user_id"])


def list_users(call: Any) -> dict[str, Any]:
    """GET /organization/users (``emails`` filters)"""
    repo = admin_call(call)
    emails = [v for k, v in parse_qsl(call.request.query) if k in ("emails", "emails[]")]
    return list_page(call, people.users(repo, emails), noun="user")


def create_invite(call: Any) -> dict[str, Any]:
    """POST /organization/invites"""
    repo = admin_call(call)
    organization = organization_of(call.request.headers, call.key.organization)
    invite = people.create_invite(repo, call.body, projects.default_project_id(call.seed, organization))
    audit.record(call, repo, "invite.sent", invite["id"], {"email": invite["email"], "role": invite["role"]})
    return invite


def retrieve_invite(call: Any) -> dict[str, Any]:
    """GET /organization/invites/{invite_id}"""
    return people.get_invite(admin_call(call), call.path_params["invite_id"])


def delete_invite(call: Any) -> dict[str, Any]:
    """DELETE /organization/invites/{invite_id}"""
    repo = admin_call(call)
    invite = people.delete_invite(repo, call.path_params["invite_id"])
    audit.record(call, repo, "invite.deleted", invite["id"])
    return deleted("organization.invite.deleted", invite["id"])


def list_invites(call: Any) -> dict[str, Any]:
    """GET /organization/invites"""
    return list_page(call, [public(i) for i in people.invites(admin_call(call))], noun="invite")


HANDLERS = {
    "createProject": create_project,
    "retrieveProject": retrieve_project,
    "modifyProject": modify_project,
    "archiveProject": archive_project,
    "listProjects": list_projects,
    "createProjectUser": create_project_user,
    "retrieveProjectUser": retrieve_project_user,
    "modifyProjectUser": modify_project_user,
    "deleteProjectUser": delete_project_user,
    "listProjectUsers": list_project_users,
    "retrieveUser": retrieve_user,
    "modifyUser": modify_user,
    "deleteUser": delete_user,
    "listUsers": list_users,
    "createInvite": create_invite,
    "retrieveInvite": retrieve_invite,
    "deleteInvite": delete_invite,
    "listInvites": list_invites,
}
