"""The Administration API through the real SDK: admin keys only, stateful projects, people, keys and audit logs."""

from __future__ import annotations

import openai
import pytest

from mockapi.core.config import KeyInfo, Settings
from mockapi.core.contract import load_contract

ADMIN_KEY = "sk-admin-0123456789abcdef"


def admin(mock) -> openai.OpenAI:
    """The fixture's client with an admin key (the SDK sends ``admin_api_key`` on admin operations)."""
    return mock.client.with_options(admin_api_key=ADMIN_KEY)


def test_an_ordinary_key_gets_the_real_missing_scope_error(mock):
    # source: https://community.openai.com/t/admin-api-key-doesnt-work-unless-explicit-permissions-are-given/1368874
    ordinary = mock.client.with_options(admin_api_key="sk-proj-0123456789abcdef")
    with pytest.raises(openai.AuthenticationError) as info:
        ordinary.admin.organization.projects.list()
    assert info.value.status_code == 401
    assert info.value.body == {
        "message": "You have insufficient permissions for this operation. Missing scopes: api.management.read. Check that "
                   "you have the correct role in your organization, and if you're using a restricted API key, that it has "
                   "the necessary scopes.",
        "type": "invalid_request_error", "param": None, "code": None}
    with pytest.raises(openai.AuthenticationError) as info:  # usage and costs need api.usage.read
        ordinary.admin.organization.usage.costs(start_time=0)
    assert "Missing scopes: api.usage.read." in info.value.body["message"]


def test_every_admin_operation_names_its_scope_and_has_a_handler():
    admin_ops = [o for o in load_contract().operations if o.path.startswith(("/organization", "/projects/"))]
    assert len(admin_ops) >= 140
    assert {o.raw["x-admin-scope"] for o in admin_ops} == {"api.management.read", "api.usage.read"}
    from mockapi.api import discover_handlers

    assert not [o.operation_id for o in admin_ops if o.operation_id not in discover_handlers()]


def test_project_lifecycle_create_update_archive(mock):
    a = admin(mock)
    default = [p.name for p in a.admin.organization.projects.list()]
    assert default == ["Default project"]
    project = a.admin.organization.projects.create(name="Support bot")
    assert project.id.startswith("proj_") and (project.object, project.status, project.archived_at) == (
        "organization.project", "active", None)
    mock.validate("createProject", project)
    assert a.admin.organization.projects.retrieve(project.id) == project
    renamed = a.admin.organization.projects.update(project.id, name="Support bot v2")
    assert renamed.name == "Support bot v2"
    archived = a.admin.organization.projects.archive(project.id)
    assert (archived.status, archived.archived_at) == ("archived", int(mock.engine.clock.now()))
    assert [p.id for p in a.admin.organization.projects.list()] != [] and project.id not in [
        p.id for p in a.admin.organization.projects.list()]
    assert project.id in [p.id for p in a.admin.organization.projects.list(include_archived=True)]
    # source: https://community.openai.com/t/project-archived-error-when-archiving-an-active-project-via-api/1365759
    with pytest.raises(openai.BadRequestError) as info:
        a.admin.organization.projects.update(project.id, name="again")
    assert info.value.body["code"] == "project_archived"
    assert info.value.body["message"] == f"Project '{project.id}' is archived. You can only update an active project."
    with pytest.raises(openai.NotFoundError):
        a.admin.organization.projects.retrieve("proj_doesnotexist000000000000")


def test_lists_paginate_with_after_limit_and_has_more(mock):
    a = admin(mock)
    made = [a.admin.organization.projects.create(name=f"p{i}").id for i in range(5)]
    first = a.admin.organization.projects.list(limit=2)
    assert first.has_more is True and len(first.data) == 2 and first.last_id == first.data[-1].id
    everything = [p.id for p in a.admin.organization.projects.list(limit=2)]  # the SDK follows `after`
    assert everything[1:] == made and len(everything) == 6


def test_service_account_key_is_shown_once_and_listed_redacted(mock):
    a = admin(mock)
    project = a.admin.organization.projects.create(name="Batch jobs")
    account = a.admin.organization.projects.service_accounts.create(project.id, name="nightly")
    assert account.id.startswith("svc_acct_") and account.role == "member"
    assert account.api_key is not None and account.api_key.value.startswith("sk-svcacct-")
    mock.validate("createProjectServiceAccount", account)
    again = a.admin.organization.projects.service_accounts.retrieve(account.id, project_id=project.id)
    assert "api_key" not in again.model_dump(exclude_unset=True)
    keys = list(a.admin.organization.projects.api_keys.list(project.id))
    assert [k.id for k in keys] == [account.api_key.id]
    assert keys[0].redacted_value == "sk-svcacct-..." + account.api_key.value[-4:]
    assert keys[0].owner.type == "service_account" and keys[0].owner.service_account.id == account.id
    # The key works: the mock answers it, and it counts under its own id.
    svc = mock.client.with_options(api_key=account.api_key.value)
    svc.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    gone = a.admin.organization.projects.service_accounts.delete(account.id, project_id=project.id)
    assert (gone.object, gone.deleted) == ("organization.project.service_account.deleted", True)
    assert list(a.admin.organization.projects.api_keys.list(project.id)) == []
    with pytest.raises(openai.AuthenticationError) as info:  # a deleted key is refused like a wrong one
        svc.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert info.value.body["code"] == "invalid_api_key"
    assert info.value.body["message"].startswith("Incorrect API key provided: sk-")


def test_admin_api_keys_create_returns_the_value_once_and_it_is_an_admin_key(mock):
    a = admin(mock)
    created = a.admin.organization.admin_api_keys.create(name="ci")
    assert created.id.startswith("key_") and created.value.startswith("sk-admin-")
    assert created.redacted_value.endswith(created.value[-4:])
    listed = list(a.admin.organization.admin_api_keys.list())
    assert [k.id for k in listed] == [created.id] and not hasattr(listed[0], "value")
    assert len(mock.client.with_options(admin_api_key=created.value).admin.organization.projects.list().data) == 1
    removed = a.admin.organization.admin_api_keys.delete(created.id)
    assert removed.deleted is True and removed.object == "organization.admin_api_key.deleted"
    with pytest.raises(openai.AuthenticationError):
        mock.client.with_options(admin_api_key=created.value).admin.organization.projects.list()


def test_invites_are_pending_then_expire_on_the_mock_clock(mock):
    a = admin(mock)
    project = a.admin.organization.projects.create(name="Docs")
    invite = a.admin.organization.invites.create(email="ada@example.com", role="reader",
                                                 projects=[{"id": project.id, "role": "member"}])
    assert invite.id.startswith("invite-") and invite.status == "pending" and invite.projects[0].id == project.id
    mock.validate("createInvite", invite)
    mock.engine.clock.advance(8 * 86400)
    assert a.admin.organization.invites.retrieve(invite.id).status == "expired"
    assert a.admin.organization.invites.delete(invite.id).deleted is True
    # "If omitted, the user will be invited to the default project" (API reference, Create invite)
    default = next(p for p in a.admin.organization.projects.list() if p.name == "Default project")
    legacy = a.admin.organization.invites.create(email="bob@example.com", role="owner")
    assert [(p.id, p.role) for p in legacy.projects] == [(default.id, "member")]
    assert a.admin.organization.invites.create(email="cy@example.com", role="reader", projects=[]).projects == []
    with pytest.raises(openai.NotFoundError):
        a.admin.organization.invites.retrieve(invite.id)


def test_users_and_project_membership(mock):
    a = admin(mock)
    users = list(a.admin.organization.users.list())
    assert len(users) == 1 and users[0].role == "owner" and users[0].id.startswith("user-")
    project = a.admin.organization.projects.create(name="Team")
    member = a.admin.organization.projects.users.create(project.id, user_id=users[0].id, role="member")
    assert (member.object, member.role) == ("organization.project.user", "member")
    assert a.admin.organization.projects.users.update(users[0].id, project_id=project.id, role="owner").role == "owner"
    assert a.admin.organization.projects.users.delete(users[0].id, project_id=project.id).deleted is True


def test_audit_logs_record_the_admin_actions(mock):
    a = admin(mock)
    project = a.admin.organization.projects.create(name="Audited")
    a.admin.organization.projects.archive(project.id)
    events = list(a.admin.organization.audit_logs.list())
    assert [e.type for e in events] == ["project.archived", "project.created"]  # newest first
    created = events[1]
    assert created.project_created.id == project.id and created.project_created.data.name == "Audited"
    assert created.actor.type == "api_key" and created.actor.api_key.id.startswith("key_")
    assert created.id.startswith("audit_log-")
    only = list(a.admin.organization.audit_logs.list(event_types=["project.created"]))
    assert [e.type for e in only] == ["project.created"]


def test_plain_resources_round_trip_through_their_schemas(mock):
    a = admin(mock)
    group = a.admin.organization.groups.create(name="engineers")
    assert group.id.startswith("group_") and group.name == "engineers"
    mock.validate("createGroup", group)
    assert a.admin.organization.groups.retrieve(group.id).name == "engineers"
    assert [g.id for g in a.admin.organization.groups.list()] == [group.id]
    assert a.admin.organization.groups.delete(group.id).deleted is True
    with pytest.raises(openai.NotFoundError):
        a.admin.organization.groups.retrieve(group.id)
    limit = a.admin.organization.spend_limit.update(threshold_amount=500, currency="USD", interval="month")
    assert a.admin.organization.spend_limit.retrieve().threshold_amount == limit.threshold_amount == 500


def test_a_configured_key_can_be_marked_admin():
    from conftest import inprocess_clients

    from mockapi.assembly import build_engine

    engine = build_engine(Settings(keys={"plain-looking-admin": KeyInfo(admin=True), "sk-admin-but-not": KeyInfo(admin=False)}))
    client, _ = inprocess_clients(engine, max_retries=0)
    assert client.with_options(admin_api_key="plain-looking-admin").admin.organization.projects.list().data
    with pytest.raises(openai.AuthenticationError):
        client.with_options(admin_api_key="sk-admin-but-not").admin.organization.projects.list()


def test_a_geography_outside_the_residency_values_never_reaches_the_answer(mock):
    # Found by the long fuzz: geography is a free string in the SDK's params, residency a closed enum in its answer.
    a = admin(mock)
    odd = a.admin.organization.projects.create(name="Odd", extra_body={"geography": "authorization"})
    mock.validate("createProject", odd)
    assert odd.residency is None
    placed = a.admin.organization.projects.create(name="Placed", extra_body={"geography": "EU_STORAGE_PROCESSING"})
    assert placed.residency == "EU_STORAGE_PROCESSING"
