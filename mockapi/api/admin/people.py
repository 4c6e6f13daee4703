"""The organization's users and invites.

Users join an organization by accepting an invite; the API lists, re-roles and removes them but never
creates one. An invite is ``pending`` until accepted or until it expires (``expires_at``: the mock gives a week, a
lifetime the API reference does not state; the mock's clock decides), and "If the invite has already been accepted, it cannot be deleted"
(API reference, Delete invite). The mock has no inbox: its invites stay pending until they expire.
"""

from __future__ import annotations

from typing import Any, Mapping

from mockapi.core.errors import InvalidRequestError
from mockapi.core.repo import Repo

from .projects import PROJECT, PROJECT_USER, USER
from .projects import get as get_project

INVITE = "admin.invite"
INVITE_LIFETIME = 7 * 86400


def get_user(repo: Repo, user_id: str) -> dict[str, Any]:
    """An organization user, or the real 404."""
    return repo.require(USER, user_id, "user", "user-")


def users(repo: Repo, emails: list[str]) -> list[dict[str, Any]]:
    """The organization's users, oldest first, only those with one of ``emails`` when given."""
    return [u for u in repo.list(USER) if not emails or u.get("email") in emails]


def update_user(repo: Repo, user_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Change a user's organization role (or persona fields)."""
    user = get_user(repo, user_id)
    user.update({k: v for k, v in body.items() if v is not None and k in ("role", "developer_persona", "technical_level")})
    return repo.put(USER, user)


def remove_user(repo: Repo, user_id: str) -> None:
    """Take a user out of the organization and of every project."""
    get_user(repo, user_id)
    repo.delete(USER, user_id)
    for project in repo.list(PROJECT):
        repo.delete(f"{PROJECT_USER}:{project['id']}", user_id)


def _with_status(repo: Repo, invite: dict[str, Any]) -> dict[str, Any]:
    if invite["status"] == "pending" and invite.get("expires_at") and repo.now() >= invite["expires_at"]:
        invite["status"] = "expired"
    return invite


def create_invite(repo: Repo, body: Mapping[str, Any], default_project: str) -> dict[str, Any]:
    """A pending invite; the projects it names must exist.

    "If omitted, the user will be invited to the default project for compatibility with legacy behavior.
    If empty list is passed, the user will not be invited to any projects" (API reference, Create invite).
    """
    asked = body.get("projects")
    if asked is None:
        asked = [{"id": default_project, "role": "member"}]
    projects = []
    for item in asked:
        get_project(repo, item["id"])
        projects.append({"id": item["id"], "role": item["role"]})
    now = repo.now()
    invite = {"object": "organization.invite", "id": repo.new_id("invite-", INVITE), "email": body["email"],
              "role": body["role"], "status": "pending", "created_at": now, "expires_at": now + INVITE_LIFETIME,
              "accepted_at": None, "projects": projects}
    return repo.put(INVITE, invite)


def get_invite(repo: Repo, invite_id: str) -> dict[str, Any]:
    """An invite with its status as of the mock's clock, or the real 404."""
    return _with_status(repo, repo.require(INVITE, invite_id, "invite", "invite-"))


def invites(repo: Repo) -> list[dict[str, Any]]:
    """Every invite, oldest first, with its current status."""
    return [_with_status(repo, i) for i in repo.list(INVITE)]


def delete_invite(repo: Repo, invite_id: str) -> dict[str, Any]:
    """Delete a pending or expired invite; an accepted one cannot be deleted."""
    invite = get_invite(repo, invite_id)
    if invite["status"] == "accepted":
        raise InvalidRequestError("This invite has already been accepted and cannot be deleted.", param="invite_id")
    repo.delete(INVITE, invite_id)
    return invite
