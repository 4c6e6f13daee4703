"""Tenancy (issue 14): the tenant comes from the key; organization and project headers only choose among what it may use."""

from __future__ import annotations

import dataclasses
import json

import openai
import pytest
from conftest import API_KEY
from tenant_helpers import KEY_A, KEY_A2, KEY_C, KEY_LONE, _keyed_server, keyed, upload  # noqa: F401 - fixtures

from mockapi.core.config import ConfigError, KeyInfo, Settings, from_mapping

MISMATCHED_ORG = {"message": "OpenAI-Organization header should match organization for API key",
                  "type": "invalid_request_error", "param": None, "code": "mismatched_organization"}


def test_an_org_header_naming_another_org_gets_the_real_401(keyed):
    intruder = keyed.client(KEY_C, organization="org-a")
    with pytest.raises(openai.AuthenticationError) as info:
        intruder.models.list()
    assert info.value.status_code == 401 and info.value.body == MISMATCHED_ORG


def test_the_org_header_bypass_never_reads_lists_or_deletes_another_orgs_files(keyed):
    owner = keyed.client(KEY_A)
    secret = upload(owner, "org-a-only.txt", b"org-a's data")
    intruder = keyed.client(KEY_C, organization="org-a")
    for attempt in (lambda: intruder.files.retrieve(secret.id), lambda: intruder.files.list(),
                    lambda: intruder.files.content(secret.id), lambda: intruder.files.delete(secret.id)):
        with pytest.raises(openai.AuthenticationError) as info:
            attempt()
        assert info.value.body["code"] == "mismatched_organization"
    # Without the header the intruder is in its own organization, where the file does not exist.
    itself = keyed.client(KEY_C)
    assert [f.id for f in itself.files.list()] == []
    with pytest.raises(openai.NotFoundError):
        itself.files.retrieve(secret.id)
    with pytest.raises(openai.NotFoundError):
        itself.files.delete(secret.id)
    assert owner.files.content(secret.id).read() == b"org-a's data"


def test_a_key_selects_among_its_allowed_orgs_and_each_keeps_its_own_data(keyed):
    in_a = keyed.client(KEY_A)  # the first listed organization is the default
    in_b = keyed.client(KEY_A, organization="org-b")
    first = upload(in_a, "a.txt")
    raw = in_b.files.with_raw_response.list()
    assert raw.headers["openai-organization"] == "org-b" and raw.parse().data == []
    with pytest.raises(openai.NotFoundError):
        in_b.files.retrieve(first.id)
    second = upload(in_b, "b.txt")
    assert [f.id for f in in_a.files.list()] == [first.id]
    assert [f.id for f in keyed.client(KEY_A, organization="org-a").files.list()] == [first.id]
    assert [f.id for f in in_b.files.list()] == [second.id]
    assert in_a.files.with_raw_response.list().headers["openai-organization"] == "org-a"


def test_keys_granted_the_same_org_share_it_and_no_one_else_does(keyed):
    shared = upload(keyed.client(KEY_A), "team.txt")
    assert [f.id for f in keyed.client(KEY_A2).files.list()] == [shared.id]
    # A configured key with no organization may send any header, but it only subdivides its own tenant.
    lone = keyed.client(KEY_LONE, organization="org-a")
    assert lone.files.list().data == []
    with pytest.raises(openai.NotFoundError):
        lone.files.retrieve(shared.id)
    assert keyed.tenant(KEY_LONE, "org-a") != keyed.tenant(KEY_A, "org-a") == "org:org-a/proj:-"


def test_projects_are_selected_among_the_allowed_ones(keyed):
    c1 = keyed.client(KEY_C)
    c2 = keyed.client(KEY_C, project="proj_c2")
    in_c2 = upload(c2, "c2.txt")
    assert c1.files.list().data == [] and [f.id for f in c2.files.list()] == [in_c2.id]
    with pytest.raises(openai.AuthenticationError) as info:
        keyed.client(KEY_C, project="proj_elsewhere").files.list()
    assert info.value.status_code == 401
    assert info.value.body == {"message": "OpenAI-Project header should match project for API key",
                               "type": "invalid_request_error", "param": None, "code": "mismatched_project"}
    assert keyed.tenant(KEY_C, project="proj_c2") == "org:org-c/proj:proj_c2"


def test_an_unknown_key_is_still_refused_whatever_org_it_names(keyed):
    with pytest.raises(openai.AuthenticationError) as info:
        keyed.client("sk-not-configured-00000000000", organization="org-a").models.list()
    assert info.value.body["code"] == "invalid_api_key"


def test_without_configured_keys_each_key_is_its_own_tenant_whatever_org_it_sends(mock):
    mine = mock.client.with_options(organization="org-shared")
    theirs = mock.client.with_options(api_key="sk-someone-else-0000000000", organization="org-shared")
    created = mine.files.create(file=("mine.txt", b"mine"), purpose="assistants")
    assert theirs.files.list().data == []
    with pytest.raises(openai.NotFoundError):
        theirs.files.retrieve(created.id)
    with pytest.raises(openai.NotFoundError):
        theirs.files.delete(created.id)
    # The header subdivides the key's own tenant: the same key without it is another place.
    assert mock.client.files.list().data == []
    assert [f.id for f in mine.files.list()] == [created.id]
    assert mine.files.with_raw_response.list().headers["openai-organization"] == "org-shared"
    tenant = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}", "openai-organization": "org-shared"})[0]
    assert tenant.startswith(mock.engine.authenticate({"authorization": f"Bearer {API_KEY}"})[0] + "/")


def test_config_lists_organizations_and_projects_with_the_first_as_default():
    settings = from_mapping({"keys": {
        "sk-x": {"organizations": ["org-a", "org-b"], "projects": "proj_1", "tier": "tier-2"},
        "sk-y": {"organization": "org-z", "organizations": ["org-a", "org-z"]},
        "sk-z": None,
    }})
    x, y, z = settings.keys["sk-x"], settings.keys["sk-y"], settings.keys["sk-z"]
    assert (x.organization, x.organizations, x.project, x.projects) == ("org-a", ("org-a", "org-b"), "proj_1", ("proj_1",))
    assert (y.organization, y.organizations) == ("org-z", ("org-z", "org-a"))
    assert z == KeyInfo() and z.organizations == ()
    # Workers receive the settings as JSON; the lists survive the trip.
    again = from_mapping(json.loads(json.dumps(dataclasses.asdict(settings), default=str)))
    assert again.keys == settings.keys


@pytest.mark.parametrize("entry, words", [
    ({"organisations": ["org-a"]}, ["organisations", "organizations"]),
    ({"organizations": [1, 2]}, ["organizations"]),
    ("org-a", ["mapping"]),
])
def test_a_bad_key_entry_is_a_clear_config_error_that_hides_the_key(entry, words):
    with pytest.raises(ConfigError) as info:
        from_mapping({"keys": {"sk-very-secret-key-123456789": entry}}, source="mock.yaml")
    message = str(info.value)
    assert all(w in message for w in words) and "sk-very-secret-key-123456789" not in message


def test_settings_built_in_code_normalise_too():
    info = KeyInfo(organization="org-a", organizations=["org-b", "org-a"])  # type: ignore[arg-type]
    assert info.organizations == ("org-a", "org-b") and Settings(keys={"k": info}).keys["k"].organization == "org-a"
