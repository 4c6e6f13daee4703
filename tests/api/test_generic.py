"""Generic stateful resources through the real SDK: operations with no handler of their own still behave.

Uses resources no family handles (ChatKit, skills, agents, voice consents), so the test keeps testing the
generic layer when other families get handlers of their own.
"""

from __future__ import annotations

import json

import openai
import pytest

from mockapi.api.generic import classify, fallbacks
from mockapi.api.generic.classify import collections
from mockapi.contract import load_contract
from mockapi.core.engine import Request

API_KEY = "sk-test-0123456789"


def test_create_retrieve_list_delete_keep_the_object(mock):
    client = mock.client
    made = [client.beta.agents.environments.templates.create(name=f"env{i}") for i in range(3)]
    assert len({m.id for m in made}) == 3
    assert made[0].name == "env0"  # echoed from the request
    assert client.beta.agents.environments.templates.retrieve(made[1].id).id == made[1].id
    updated = client.beta.agents.environments.templates.update(made[1].id, name="renamed")
    assert updated.name == "renamed" and client.beta.agents.environments.templates.retrieve(made[1].id).name == "renamed"
    page = client.beta.agents.environments.templates.list(limit=2, order="asc")
    assert [m.id for m in page.data] == [made[0].id, made[1].id] and page.has_more
    rest = client.beta.agents.environments.templates.list(limit=2, order="asc", after=made[1].id)
    assert [m.id for m in rest.data] == [made[2].id] and not rest.has_more
    deleted = client.beta.agents.environments.templates.delete(made[0].id)
    assert deleted.deleted is True
    with pytest.raises(openai.NotFoundError) as err:
        client.beta.agents.environments.templates.retrieve(made[0].id)
    assert made[0].id in err.value.body["message"]


def test_created_ids_carry_the_real_prefix(mock):
    session = mock.client.beta.chatkit.sessions.create(user="user-1", workflow={"id": "wf_123"})
    assert session.id.startswith("cksess_")
    cancelled = mock.client.beta.chatkit.sessions.cancel(session.id)
    assert cancelled.id == session.id


def test_children_are_stored_under_their_parent():
    from mockapi.api.generic.classify import store_kind

    a = store_kind("/containers/{container_id}/files", {"container_id": "cntr_a", "file_id": "cfile_1"}, "file_id")
    b = store_kind("/containers/{container_id}/files", {"container_id": "cntr_b"})
    assert a == "generic:/containers/{}/files:cntr_a" and b == "generic:/containers/{}/files:cntr_b"
    assert store_kind("/batches", {"batch_id": "batch_1"}, "batch_id") == "generic:/batches"


def test_unknown_id_is_404_at_faithful_and_synthesized_at_schema(mock):
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.agents.environments.templates.retrieve("envtmpl_missing")
    schema_client = mock.client.with_options(default_headers={"x-mockapi-validation": "schema"})
    found = schema_client.beta.agents.environments.templates.retrieve("envtmpl_missing")
    assert found.id == "envtmpl_missing"


def test_actions_answer_in_the_contract_shape_echoing_the_request(mock):
    secret = mock.client.realtime.client_secrets.create(session={"type": "realtime", "model": "gpt-realtime"})
    mock.validate("createRealtimeClientSecret", secret)


def test_every_sdk_operation_is_served():
    contract = load_contract()
    from mockapi.api import discover_handlers

    served = discover_handlers()
    generic = fallbacks(contract, served)
    assert {op.operation_id for op in contract.operations} == set(served) | set(generic)


def test_classification_reads_the_contract():
    contract = load_contract()
    known = collections(contract)
    kinds = {op.operation_id: classify(op, known).kind for op in contract.operations}
    assert kinds["createAgent"] == "create" and kinds["deleteAgent"] == "delete"
    assert kinds["pauseAgentsAutomation"] == "action" and kinds["hangupLiveSession"] == "action"
    assert kinds["listSkills"] == "list" and kinds["retrieveSkill"] == "retrieve" and kinds["deleteSkill"] == "delete"


def test_an_operation_nobody_serves_says_so():
    from mockapi.assembly import build_engine
    from mockapi.contract import Contract

    doc = json.loads(json.dumps(load_contract().document))
    doc["paths"]["/made/up"] = {"get": {"operationId": "madeUp", "responses": {}}}
    engine = build_engine(contract=Contract(doc))
    reply = engine.handle(Request("GET", "/v1/made/up", {"authorization": f"Bearer {API_KEY}"}))
    error = json.loads(reply.body)["error"]
    assert reply.status == 404 and error["code"] == "unknown_url"
    assert "does not serve madeUp" in error["message"]
