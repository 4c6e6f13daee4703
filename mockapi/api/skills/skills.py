"""Skills and their versions: each version keeps its bundle's zip; the skill names a default and a latest version."""

from __future__ import annotations

from typing import Any, Iterator

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, public

from ..files.blobs import blobs_for
from .bundle import Bundle

KIND = "skill"


def _versions_kind(skill_id: str) -> str:
    return f"skill_version:{skill_id}"


def _blob(skill_id: str, version: str) -> str:
    return f"{skill_id}.v{version}.zip"


def _store_zip(repo: Repo, skill_id: str, version: str, data: bytes) -> None:
    writer = blobs_for(repo.store).writer()
    writer.write(data)
    writer.commit(_blob(skill_id, version))


def create(repo: Repo, identity: str, bundle: Bundle) -> dict[str, Any]:
    """``POST /skills``: a skill whose version 1 is the upload."""
    skill_id = make_id("skill_", "skill", identity, length=48, alphabet=HEX)
    skill = {"id": skill_id, "object": "skill", "created_at": repo.now(), "name": bundle.name,
             "description": bundle.description, "default_version": "1", "latest_version": "1"}
    _add_version(repo, identity, skill_id, "1", bundle)
    return repo.put(KIND, skill)


def _add_version(repo: Repo, identity: str, skill_id: str, version: str, bundle: Bundle) -> dict[str, Any]:
    _store_zip(repo, skill_id, version, bundle.zip_bytes())
    obj = {"id": make_id("skillver_", "skill-version", identity, skill_id, version, length=48, alphabet=HEX),
           "object": "skill.version", "created_at": repo.now(), "skill_id": skill_id, "version": version,
           "name": bundle.name, "description": bundle.description}
    return repo.put(_versions_kind(skill_id), obj)


def require(repo: Repo, skill_id: str) -> dict[str, Any]:
    """A skill of this tenant, or the real 404."""
    found = repo.get(KIND, skill_id)
    if found is None:
        raise NotFoundError(f"No skill found with id '{skill_id}'.")
    return found


def require_version(repo: Repo, skill_id: str, version: str) -> dict[str, Any]:
    """A version of a skill (``latest`` names the newest), or the real 404."""
    skill = require(repo, skill_id)
    number = skill["latest_version"] if version == "latest" else version
    found = next((v for v in repo.list(_versions_kind(skill_id)) if v["version"] == number), None)
    if found is None:
        raise NotFoundError(f"No version '{version}' found for skill '{skill_id}'.")
    return found


def new_version(repo: Repo, identity: str, skill_id: str, bundle: Bundle, make_default: bool) -> dict[str, Any]:
    """``POST /skills/{id}/versions``: the next version number; optionally the new default."""
    with repo.lock(f"skill:{skill_id}"):
        skill = require(repo, skill_id)
        numbers = [int(v["version"]) for v in repo.list(_versions_kind(skill_id))]
        version = str(max(numbers + [int(skill["latest_version"])]) + 1)
        stored = _add_version(repo, identity, skill_id, version, bundle)
        skill.update(latest_version=version, **({"default_version": version, "name": bundle.name,
                                                  "description": bundle.description} if make_default else {}))
        repo.put(KIND, skill)
    return stored


def set_default(repo: Repo, skill_id: str, version: str) -> dict[str, Any]:
    """``POST /skills/{id}``: point ``default_version`` at an existing version."""
    chosen = require_version(repo, skill_id, version)
    skill = require(repo, skill_id)
    skill.update(default_version=chosen["version"], name=chosen["name"], description=chosen["description"])
    return repo.put(KIND, skill)


def list_skills(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /skills``: newest first."""
    return paginate([public(s) for s in repo.list(KIND)], query, default_order="desc")


def list_versions(repo: Repo, skill_id: str, query: dict[str, str]) -> dict[str, Any]:
    """``GET /skills/{id}/versions``."""
    require(repo, skill_id)
    return paginate([public(v) for v in repo.list(_versions_kind(skill_id))], query, default_order="desc")


def content(repo: Repo, skill_id: str, version: str | None = None) -> Iterator[bytes]:
    """The zip of a version (the default one when none is named)."""
    skill = require(repo, skill_id)
    chosen = require_version(repo, skill_id, version or skill["default_version"])
    return blobs_for(repo.store).chunks(_blob(skill_id, chosen["version"]))


def delete_version(repo: Repo, skill_id: str, version: str) -> dict[str, Any]:
    """``DELETE /skills/{id}/versions/{version}``; the default and latest move to the newest version left.

    A skill keeps at least one version: deleting the last one is refused (delete the skill instead).
    """
    chosen = require_version(repo, skill_id, version)
    skill = require(repo, skill_id)
    remaining = [v for v in repo.list(_versions_kind(skill_id)) if v["id"] != chosen["id"]]
    if not remaining:
        raise InvalidRequestError("Cannot delete the only version of a skill; delete the skill instead.", param="version")
    repo.delete(_versions_kind(skill_id), chosen["id"])
    blobs_for(repo.store).delete(_blob(skill_id, chosen["version"]))
    newest = max(remaining, key=lambda v: int(v["version"]))
    if skill["latest_version"] == chosen["version"]:
        skill["latest_version"] = newest["version"]
    if skill["default_version"] == chosen["version"]:
        skill.update(default_version=newest["version"], name=newest["name"], description=newest["description"])
    repo.put(KIND, skill)
    return {"id": chosen["id"], "object": "skill.version.deleted", "deleted": True, "version": chosen["version"]}


def delete(repo: Repo, skill_id: str) -> dict[str, Any]:
    """``DELETE /skills/{id}``: the skill and every version."""
    require(repo, skill_id)
    for version in repo.list(_versions_kind(skill_id)):
        repo.delete(_versions_kind(skill_id), version["id"])
        blobs_for(repo.store).delete(_blob(skill_id, version["version"]))
    repo.delete(KIND, skill_id)
    return {"id": skill_id, "object": "skill.deleted", "deleted": True}


def drop_contents(store: Any, tenant: str | None) -> None:
    """Before a tenant's reset: delete its skills' zips (a full reset clears every blob)."""
    if tenant is None:
        return
    blobs = blobs_for(store)
    for skill in store.list(tenant, KIND):
        for version in store.list(tenant, _versions_kind(skill["id"])):
            blobs.delete(_blob(skill["id"], version["version"]))
