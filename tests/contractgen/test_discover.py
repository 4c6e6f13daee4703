"""The contract covers the installed SDK: every operation is discovered from its resource classes."""

from __future__ import annotations

import pytest

from mockapi.contract import load_contract
from mockapi.contractgen import Operation, explicit_operations
from mockapi.contractgen.discover import discover, operation_id, singular
from mockapi.contractgen.discovered import merge, route_key


@pytest.fixture(scope="module")
def found():
    return discover()


def test_every_sdk_operation_is_in_the_contract(found):
    contract = {route_key(op.method, op.path) for op in load_contract().operations}
    missing = sorted({f"{f.method} {f.path} (client.{f.sdk_path})" for f in found if route_key(f.method, f.path) not in contract})
    assert not missing, "the installed SDK has operations the contract lacks: run `python -m mockapi.contractgen`\n" + "\n".join(missing)


def test_discovery_reads_method_path_types_and_pages(found):
    by_sdk = {f.sdk_path: f for f in found}
    create = by_sdk["batches.create"]
    assert (create.method, create.path) == ("POST", "/batches")
    assert create.request == "openai.types.batch_create_params:BatchCreateParams"
    assert create.response == "openai.types.batch:Batch" and create.page is None
    listing = by_sdk["fine_tuning.jobs.list"]
    assert listing.page == "SyncCursorPage" and listing.query and listing.response.endswith(":FineTuningJob")
    assert by_sdk["containers.files.content.retrieve"].binary
    assert by_sdk["files.create"].multipart
    assert by_sdk["chat.completions.create"].stream_event.endswith(":ChatCompletionChunk")
    assert by_sdk["beta.chatkit.sessions.create"].path == "/chatkit/sessions"
    assert by_sdk["admin.organization.projects.create"].security == "admin_api_key_auth"
    assert by_sdk["batches.retrieve"].path == "/batches/{batch_id}"


def test_operation_ids_follow_the_documented_rule():
    assert operation_id("beta.chatkit.sessions.create") == "createChatkitSession"
    assert operation_id("batches.list") == "listBatches"
    assert operation_id("batches.cancel") == "cancelBatch"
    assert operation_id("fine_tuning.jobs.checkpoints.list") == "listFineTuningJobsCheckpoints"
    assert operation_id("admin.organization.projects.users.retrieve") == "retrieveOrganizationProjectsUser"
    assert [singular(w) for w in ("batches", "policies", "files", "status", "addresses")] == ["batch", "policy", "file", "status", "address"]


def test_operation_ids_are_unique_and_stable(found):
    ops = load_contract().operations
    assert len({op.operation_id for op in ops}) == len(ops)
    again = {f.operation_id for f in discover()}
    assert again == {f.operation_id for f in found}


def test_explicit_operations_win_by_route_and_keep_their_ids(found):
    explicit = [Operation("myOwnBatchCreate", "POST", "/batches", "mine", "Batches")]
    merged = merge(explicit, found)
    at_route = [op for op in merged if route_key(op.method, op.path) == ("POST", "/batches")]
    assert [op.operation_id for op in at_route] == ["myOwnBatchCreate"]
    assert at_route[0].extra["sdk-method"] == "client.batches.create"
    # path parameter names do not matter: an explicit `{id}` template still takes the route
    merged = merge([Operation("getIt", "GET", "/batches/{id}", "mine", "Batches")], found)
    assert [op.operation_id for op in merged if route_key(op.method, op.path) == ("GET", "/batches/{}")] == ["getIt"]


def test_the_hand_written_operation_ids_survive():
    ids = {op.operation_id for op in load_contract().operations}
    assert {op.operation_id for op in explicit_operations()} <= ids
    assert {"createChatCompletion", "createResponse", "createVectorStoreFileBatch", "createBatch", "createChatKitSession"} <= ids


def test_every_operation_names_its_sdk_method():
    ops = load_contract().operations
    unnamed = [op.operation_id for op in ops if not op.raw.get("x-sdk-method")]
    assert not unnamed, f"operations the SDK does not call: {unnamed}"


def test_a_streaming_choice_of_params_reads_as_their_shared_base(found):
    # `maybe_transform(body, XStreaming if stream else XNonStreaming)`: the body type is `XBase`.
    by_sdk = {f.sdk_path: f for f in found}
    assert by_sdk["beta.agents.sessions.create"].request.endswith("session_create_params:SessionCreateParamsBase")
    assert by_sdk["beta.responses.create"].request == "openai.types.beta.response_create_params:ResponseCreateParamsBase"
    session = load_contract().by_id["createAgentsSession"].request_schema
    assert "stream" in session["properties"] and session["additionalProperties"] is False


def test_a_beta_method_on_a_taken_route_lends_its_extra_body_fields():
    # client.beta.responses.create posts to /responses too, with `multi_agent` (and an openai-beta header).
    create = load_contract().by_id["createResponse"].request_schema
    assert "multi_agent" in create["properties"] and "betas" not in create["properties"]
    assert "MultiAgent" in create["$defs"]
