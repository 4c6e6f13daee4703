"""ChatKit (beta): sessions with a client secret and expiry, and the thread endpoints."""

from __future__ import annotations

import re
from types import SimpleNamespace

import openai
import pytest

from mockapi.api.chatkit import chatkit
from mockapi.core.repo import Repo

WORKFLOW = {"id": "wf_68df4b13b3588190a09d19288d4610ec0b0f8d3e6a2c4b1f"}


def seed_thread(mock, user: str, title: str) -> str:
    """Record a thread as the ChatKit frontend would (the public API has no create), for the key the SDK uses."""
    tenant, _ = mock.engine.authenticate({"authorization": f"Bearer {mock.client.api_key}"})
    call = SimpleNamespace(store=mock.engine.store, tenant=tenant, seed=mock.engine.seed, clock=mock.engine.clock,
                           settings=mock.engine.settings, faithful=True)
    items = [{"type": "chatkit.user_message", "attachments": [], "content": [{"type": "input_text", "text": "Hello"}]},
             {"type": "chatkit.assistant_message", "content": [{"type": "output_text", "text": "Hi!", "annotations": []}]}]
    return chatkit.add_thread(Repo(call), title, user, title, items)["id"]


def test_session_has_a_client_secret_and_defaults(mock):
    session = mock.client.beta.chatkit.sessions.create(user="user-123", workflow=WORKFLOW)
    assert re.fullmatch(r"cksess_[0-9a-f]{32}", session.id) and session.client_secret.startswith("ek_")
    assert (session.object, session.status, session.user, session.workflow.id) == (
        "chatkit.session", "active", "user-123", WORKFLOW["id"])
    assert session.expires_at == int(mock.engine.clock.now()) + 600  # "Defaults to 10 minutes."
    assert session.rate_limits.max_requests_per_1_minute == 10 and session.workflow.tracing.enabled
    config = session.chatkit_configuration
    assert (config.file_upload.enabled, config.file_upload.max_files, config.history.enabled) == (False, 10, True)
    mock.validate("createChatKitSession", session)


def test_session_options_are_echoed_and_cancel(mock):
    session = mock.client.beta.chatkit.sessions.create(
        user="u", workflow={**WORKFLOW, "version": "3", "state_variables": {"plan": "pro"}},
        expires_after={"anchor": "created_at", "seconds": 120}, rate_limits={"max_requests_per_1_minute": 30},
        chatkit_configuration={"file_upload": {"enabled": True, "max_files": 3}})
    assert session.expires_at == int(mock.engine.clock.now()) + 120 and session.max_requests_per_1_minute == 30
    assert session.workflow.version == "3" and session.workflow.state_variables == {"plan": "pro"}
    assert session.chatkit_configuration.file_upload.max_files == 3
    cancelled = mock.client.beta.chatkit.sessions.cancel(session.id)
    assert (cancelled.id, cancelled.status) == (session.id, "cancelled")
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.chatkit.sessions.cancel("cksess_unknown")


def test_session_expires_on_the_clock(mock):
    session = mock.client.beta.chatkit.sessions.create(user="u", workflow=WORKFLOW,
                                                       expires_after={"anchor": "created_at", "seconds": 60})
    mock.engine.clock.advance(61)
    assert mock.client.beta.chatkit.sessions.cancel(session.id).status == "expired"


def test_user_and_workflow_are_required(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.post("/chatkit/sessions", cast_to=object, body={"workflow": WORKFLOW})
    assert info.value.body["param"] == "user"


def test_threads_list_retrieve_items_delete(mock):
    assert mock.client.beta.chatkit.threads.list().data == []
    first, second = seed_thread(mock, "alice", "Trip"), seed_thread(mock, "bob", "Taxes")
    assert [t.id for t in mock.client.beta.chatkit.threads.list()] == [second, first]
    assert [t.id for t in mock.client.beta.chatkit.threads.list(user="alice")] == [first]
    thread = mock.client.beta.chatkit.threads.retrieve(first)
    assert (thread.object, thread.title, thread.user, thread.status.type) == ("chatkit.thread", "Trip", "alice", "active")
    items = mock.client.beta.chatkit.threads.list_items(first, order="asc")
    assert [i.type for i in items.data] == ["chatkit.user_message", "chatkit.assistant_message"]
    mock.validate("listChatKitThreadItems", items)
    deleted = mock.client.beta.chatkit.threads.delete(first)
    assert (deleted.id, deleted.object, deleted.deleted) == (first, "chatkit.thread.deleted", True)
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.chatkit.threads.retrieve(first)
