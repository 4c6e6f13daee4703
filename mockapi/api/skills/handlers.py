"""Skills: create from files, versions, default version, zip downloads, delete."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.repo import Repo, public
from mockapi.core.results import Binary

from . import bundle, skills

ON_RESET = skills.drop_contents  # the zips behind a tenant's skill versions go before its records do


def _upload(call: Call) -> tuple[dict[str, str], bundle.Bundle]:
    fields, uploads = bundle.read_form(call.request)
    return fields, bundle.build(uploads)


def create_skill(call: Call) -> dict[str, Any]:
    """``POST /v1/skills`` (multipart ``files``)."""
    _, made = _upload(call)
    return public(skills.create(Repo(call), call.id_digest(), made))


def list_skills(call: Call) -> dict[str, Any]:
    """``GET /v1/skills``."""
    return skills.list_skills(Repo(call), call.query)


def retrieve_skill(call: Call) -> dict[str, Any]:
    """``GET /v1/skills/{skill_id}``."""
    return public(skills.require(Repo(call), call.path_params["skill_id"]))


def update_skill(call: Call) -> dict[str, Any]:
    """``POST /v1/skills/{skill_id}`` (``default_version``)."""
    return public(skills.set_default(Repo(call), call.path_params["skill_id"], str(call.body["default_version"])))


def delete_skill(call: Call) -> dict[str, Any]:
    """``DELETE /v1/skills/{skill_id}``."""
    return skills.delete(Repo(call), call.path_params["skill_id"])


def retrieve_skill_content(call: Call) -> Binary:
    """``GET /v1/skills/{skill_id}/content``: the default version's zip."""
    return Binary(skills.content(Repo(call), call.path_params["skill_id"]), "application/zip")


def create_skill_version(call: Call) -> dict[str, Any]:
    """``POST /v1/skills/{skill_id}/versions`` (multipart ``files``, optional ``default``)."""
    fields, made = _upload(call)
    make_default = str(fields.get("default", "false")).lower() == "true"
    return public(skills.new_version(Repo(call), call.id_digest(), call.path_params["skill_id"], made, make_default))


def list_skill_versions(call: Call) -> dict[str, Any]:
    """``GET /v1/skills/{skill_id}/versions``."""
    return skills.list_versions(Repo(call), call.path_params["skill_id"], call.query)


def retrieve_skill_version(call: Call) -> dict[str, Any]:
    """``GET /v1/skills/{skill_id}/versions/{version}``."""
    return public(skills.require_version(Repo(call), call.path_params["skill_id"], call.path_params["version"]))


def delete_skill_version(call: Call) -> dict[str, Any]:
    """``DELETE /v1/skills/{skill_id}/versions/{version}``."""
    return skills.delete_version(Repo(call), call.path_params["skill_id"], call.path_params["version"])


def retrieve_skill_version_content(call: Call) -> Binary:
    """``GET /v1/skills/{skill_id}/versions/{version}/content``."""
    return Binary(skills.content(Repo(call), call.path_params["skill_id"], call.path_params["version"]), "application/zip")


HANDLERS = {
    "createSkill": create_skill, "listSkills": list_skills, "retrieveSkill": retrieve_skill, "updateSkill": update_skill,
    "deleteSkill": delete_skill, "retrieveSkillContent": retrieve_skill_content,
    "createSkillVersion": create_skill_version, "listSkillVersions": list_skill_versions,
    "retrieveSkillVersion": retrieve_skill_version, "deleteSkillVersion": delete_skill_version,
    "retrieveSkillVersionContent": retrieve_skill_version_content,
}
