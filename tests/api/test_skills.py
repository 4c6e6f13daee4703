"""Skills: bundles from a directory upload or a zip, versions, default version, zip downloads."""

from __future__ import annotations

import io
import re
import zipfile

import openai
import pytest

SKILL_MD = b"---\nname: csv-insights\ndescription: Summarise CSV files.\n---\n\nRead the CSV and report.\n"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return out.getvalue()


def test_create_from_directory_files_and_download(mock):
    skill = mock.client.skills.create(files=[("csv-insights/SKILL.md", SKILL_MD),
                                             ("csv-insights/scripts/run.py", b"print('hi')\n")])
    assert re.fullmatch(r"skill_[0-9a-f]{48}", skill.id)
    assert (skill.object, skill.name, skill.description, skill.default_version, skill.latest_version) == (
        "skill", "csv-insights", "Summarise CSV files.", "1", "1")
    mock.validate("createSkill", skill)
    assert mock.client.skills.retrieve(skill.id).model_dump() == skill.model_dump()
    archive = zipfile.ZipFile(io.BytesIO(mock.client.skills.content.retrieve(skill.id).read()))
    assert sorted(archive.namelist()) == ["csv-insights/SKILL.md", "csv-insights/scripts/run.py"]
    assert archive.read("csv-insights/scripts/run.py") == b"print('hi')\n"


def test_create_from_a_zip_and_versions(mock):
    skill = mock.client.skills.create(files=("skill.zip", _zip({"SKILL.md": SKILL_MD})))
    second_md = SKILL_MD.replace(b"Summarise CSV files.", b"Summarise CSV and TSV files.")
    version = mock.client.skills.versions.create(skill.id, files=("skill.zip", _zip({"SKILL.md": second_md})))
    assert (version.object, version.skill_id, version.version, version.description) == (
        "skill.version", skill.id, "2", "Summarise CSV and TSV files.")
    mock.validate("createSkillVersion", version)
    again = mock.client.skills.retrieve(skill.id)
    assert (again.default_version, again.latest_version) == ("1", "2")
    assert [v.version for v in mock.client.skills.versions.list(skill.id)] == ["2", "1"]
    updated = mock.client.skills.update(skill.id, default_version="2")
    assert (updated.default_version, updated.description) == ("2", "Summarise CSV and TSV files.")
    content = mock.client.skills.versions.content.retrieve("1", skill_id=skill.id).read()
    assert zipfile.ZipFile(io.BytesIO(content)).read("csv-insights/SKILL.md") == SKILL_MD
    deleted = mock.client.skills.versions.delete("2", skill_id=skill.id)
    assert (deleted.object, deleted.version, deleted.deleted) == ("skill.version.deleted", "2", True)
    assert mock.client.skills.retrieve(skill.id).default_version == "1"
    with pytest.raises(openai.BadRequestError):
        mock.client.skills.versions.delete("1", skill_id=skill.id)  # a skill keeps one version


def test_list_and_delete(mock):
    first = mock.client.skills.create(files=[("SKILL.md", SKILL_MD)])
    second = mock.client.skills.create(files=[("SKILL.md", SKILL_MD)])
    assert first.id != second.id
    assert [s.id for s in mock.client.skills.list()] == [second.id, first.id]
    deleted = mock.client.skills.delete(first.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (first.id, "skill.deleted", True)
    with pytest.raises(openai.NotFoundError):
        mock.client.skills.retrieve(first.id)


def test_skill_md_with_front_matter_is_required(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.skills.create(files=[("README.md", b"# no manifest")])
    assert info.value.body["param"] == "files"
    with pytest.raises(openai.BadRequestError):
        mock.client.skills.create(files=[("SKILL.md", b"no front matter")])
