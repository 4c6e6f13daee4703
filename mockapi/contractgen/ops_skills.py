"""Contract sources for Skills: bundles uploaded as files or a zip, versioned, downloadable."""

from __future__ import annotations

from typing import List, Union

from typing_extensions import TypedDict

from . import Operation

_T = "openai.types"
_S = "openai.types.skills"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)
_ID = "/skills/{skill_id}"
_VERSION = _ID + "/versions/{version}"


class SkillUploadForm(TypedDict, total=False):
    """The multipart form of ``POST /skills``: a directory's files (``files[]``) or one zip (``files``)."""

    files: Union[List[bytes], bytes]


class SkillVersionUploadForm(SkillUploadForm, total=False):
    """The multipart form of ``POST /skills/{id}/versions``: the files and whether the version becomes the default."""

    default: bool


OPERATIONS = [
    Operation("createSkill", "POST", "/skills", "Create a skill from uploaded files", "Skills",
              request=f"{__name__}:SkillUploadForm", request_content="multipart/form-data", response=f"{_T}:Skill",
              stateful=True),
    Operation("listSkills", "GET", "/skills", "List skills", "Skills", response=f"{_T}:Skill", response_list=True,
              stateful=True, query=_PAGE),
    Operation("retrieveSkill", "GET", _ID, "Retrieve a skill", "Skills", response=f"{_T}:Skill", stateful=True),
    Operation("updateSkill", "POST", _ID, "Set a skill's default version", "Skills",
              request=f"{_T}.skill_update_params:SkillUpdateParams", response=f"{_T}:Skill", stateful=True),
    Operation("deleteSkill", "DELETE", _ID, "Delete a skill", "Skills", response=f"{_T}:DeletedSkill", stateful=True),
    Operation("retrieveSkillContent", "GET", _ID + "/content", "Download a skill's default version as a zip", "Skills",
              response_content="application/zip", stateful=True),
    Operation("createSkillVersion", "POST", _ID + "/versions", "Upload a new version of a skill", "Skills",
              request=f"{__name__}:SkillVersionUploadForm", request_content="multipart/form-data",
              response=f"{_S}:SkillVersion", stateful=True),
    Operation("listSkillVersions", "GET", _ID + "/versions", "List a skill's versions", "Skills",
              response=f"{_S}:SkillVersion", response_list=True, stateful=True, query=_PAGE),
    Operation("retrieveSkillVersion", "GET", _VERSION, "Retrieve a skill version", "Skills",
              response=f"{_S}:SkillVersion", stateful=True),
    Operation("deleteSkillVersion", "DELETE", _VERSION, "Delete a skill version", "Skills",
              response=f"{_S}:DeletedSkillVersion", stateful=True),
    Operation("retrieveSkillVersionContent", "GET", _VERSION + "/content", "Download a skill version as a zip", "Skills",
              response_content="application/zip", stateful=True),
]
