"""Projects and the organization they live in: its owner, its default project, archiving.

Projects are created, renamed and archived, never deleted; an archived project refuses updates with
the real 400 ``project_archived``:
"Project 'proj_…' is archived. You can only update an active project."
source: https://community.openai.com/t/project-archived-error-when-archiving-an-active-project-via-api/1365759
(the API reference: "Archived projects cannot be used or updated").
Every organization starts with its owner (the user behind the admin key) and a "Default project", which
is where traffic without an ``OpenAI-Project`` header counts (usage, API keys).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from mockapi.core.determinism import make_id
from mockapi.core.errors import InvalidRequestError
from mockapi.core.repo import Repo

PROJECT = "admin.project"
USER = "admin.user"
PROJECT_USER = "admin.project_user"
OWNER_NAME = "Mock Owner"
OWNER_EMAIL = "owner@example.com"


@lru_cache(maxsize=256)
def default_project_id(seed: int, organization: str) -> str:
    """The id of an organization's default project (stable: usage recorded before any admin call finds it)."""
    return make_id("proj_", seed, organization, "default-project")


@lru_cache(maxsize=256)
def owner_id(seed: int, organization: str) -> str:
    """The id of the organization's owner, the user behind its admin keys."""
    return make_id("user-", seed, organization, "owner")


def ensure_organization(repo: Repo, organization: str) -> None:
    """Create the owner and the default project the first time the organization is seen."""
    if repo.store.get(repo.tenant, PROJECT, default_project_id(repo.seed, organization)) is not None:
        return  # a read without a copy: this runs on every counted model call
    now = repo.now()
    owner = {"object": "organization.user", "id": owner_id(repo.seed, organization), "name": OWNER_NAME,
             "email": OWNER_EMAIL, "role": "owner", "added_at": now}
    repo.put(USER, owner)
    project = {"object": "organization.project", "id": default_project_id(repo.seed, organization),
               "name": "Default project", "created_at": now, "archived_at": None, "status": "active"}
    repo.put(PROJECT, project)
    repo.put(f"{PROJECT_USER}:{project['id']}", _membership(owner, "owner", now))


def owner(repo: Repo, organization: str) -> dict[str, Any]:
    """The organization's owner."""
    return repo.get(USER, owner_id(repo.seed, organization)) or {"id": owner_id(repo.seed, organization),
                                                                   "name": OWNER_NAME, "email": OWNER_EMAIL}


# The data residency values a project can report (openai-python types/admin/organization/project_residency.py).
RESIDENCIES = ("GLOBAL", "US_STORAGE_PROCESSING", "EU_STORAGE_PROCESSING", "JP_STORAGE", "JP_STORAGE_PROCESSING",
               "KR_STORAGE", "CA_STORAGE", "SG_STORAGE", "IN_STORAGE", "IN_STORAGE_PROCESSING", "AU_STORAGE",
               "AU_STORAGE_PROCESSING", "GB_STORAGE", "AE_STORAGE", "AE_STORAGE_PROCESSING")


def create(repo: Repo, body: Mapping[str, Any]) -> dict[str, Any]:
    """A new active project."""
    project = {"object": "organization.project", "id": repo.new_id("proj_", PROJECT), "name": body["name"],
               "created_at": repo.now(), "archived_at": None, "status": "active"}
    for field in ("external_key_id", "residency"):
        if body.get(field) is not None:
            project[field] = body[field] if field != "residency" else str(body[field])
    if body.get("geography") in RESIDENCIES and "residency" not in project:
        project["residency"] = body["geography"]  # only a value the answer's Project.residency can hold
    return repo.put(PROJECT, project)


def get(repo: Repo, project_id: str) -> dict[str, Any]:
    """The project, or the real 404."""
    return repo.require(PROJECT, project_id, "project", "proj_")


def require_active(project: Mapping[str, Any]) -> None:
    """The real 400 for changing an archived project."""
    if project.get("status") == "archived":
        raise InvalidRequestError(f"Project '{project['id']}' is archived. You can only update an active project.",
                                  code="project_archived")


def update(repo: Repo, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Rename (or re-key) an active project."""
    project = get(repo, project_id)
    require_active(project)
    project.update({k: v for k, v in body.items() if v is not None and k in ("name", "external_key_id", "geography")})
    return repo.put(PROJECT, project)


def archive(repo: Repo, project_id: str) -> dict[str, Any]:
    """Archive an active project (it keeps its id and shows in lists with ``include_archived``)."""
    project = get(repo, project_id)
    require_active(project)
    project.update(status="archived", archived_at=repo.now())
    return repo.put(PROJECT, project)


def listed(repo: Repo, include_archived: bool) -> list[dict[str, Any]]:
    """The organization's projects, oldest first; archived ones only when asked for."""
    return [p for p in repo.list(PROJECT) if include_archived or p.get("status") != "archived"]


def _membership(user: Mapping[str, Any], role: str, now: int) -> dict[str, Any]:
    return {"object": "organization.project.user", "id": user["id"], "name": user.get("name"),
            "email": user.get("email"), "role": role, "added_at": now}


def add_user(repo: Repo, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Add an organization user (by ``user_id`` or ``email``) to an active project."""
    require_active(get(repo, project_id))
    user = None
    if body.get("user_id"):
        user = repo.require(USER, body["user_id"], "user", "user-")
    elif body.get("email"):
        user = next((u for u in repo.list(USER) if u.get("email") == body["email"]), None)
    if user is None:
        raise InvalidRequestError("Provide the 'user_id' (or 'email') of a member of the organization.", param="user_id")
    return repo.put(f"{PROJECT_USER}:{project_id}", _membership(user, body["role"], repo.now()))


def project_user(repo: Repo, project_id: str, user_id: str) -> dict[str, Any]:
    """A project's member, or the real 404."""
    get(repo, project_id)
    return repo.require(f"{PROJECT_USER}:{project_id}", user_id, "user", "user-")


def update_project_user(repo: Repo, project_id: str, user_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Change a member's role in an active project."""
    require_active(get(repo, project_id))
    member = project_user(repo, project_id, user_id)
    if body.get("role"):
        member["role"] = body["role"]
    return repo.put(f"{PROJECT_USER}:{project_id}", member)


def remove_user(repo: Repo, project_id: str, user_id: str) -> None:
    """Take a member out of a project."""
    project_user(repo, project_id, user_id)
    repo.delete(f"{PROJECT_USER}:{project_id}", user_id)
