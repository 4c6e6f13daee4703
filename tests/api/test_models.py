"""Models (§14): the catalogue through the SDK, in both modes."""

from __future__ import annotations

import openai
import pytest


def test_list_models_holds_the_reference_and_sdk_models(mock):
    models = mock.client.models.list()
    ids = {m.id for m in models.data}
    assert {"gpt-4o", "gpt-4o-mini", "gpt-5", "o1", "o1-mini", "text-embedding-3-small", "whisper-1", "tts-1", "dall-e-3"} <= ids
    # Every chat model id the installed SDK names is served, so current names work.
    import typing

    from openai.types import ChatModel

    sdk_ids = set(typing.get_args(ChatModel))
    assert sdk_ids <= ids
    mock.validate("listModels", models)


def test_retrieve_model_and_fine_tune_resolves_to_base(mock):
    model = mock.client.models.retrieve("gpt-4o")
    assert (model.id, model.object, model.owned_by) == ("gpt-4o", "model", "system")
    ft = mock.client.models.retrieve("ft:gpt-4o-mini:acme::abc123")
    assert ft.id == "ft:gpt-4o-mini:acme::abc123" and ft.owned_by == "acme"
    mock.validate("retrieveModel", model)


def test_unknown_model_is_404_model_not_found(mock):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.models.retrieve("gpt-nonexistent")
    assert info.value.body["code"] == "model_not_found"
    assert info.value.status_code == 404


async def test_async_list_models(mock):
    page = await mock.async_client.models.list()
    assert any(m.id == "gpt-4o" for m in page.data)


def test_delete_base_model_is_refused_fine_tune_is_deleted(mock):
    with pytest.raises(openai.PermissionDeniedError):
        mock.client.models.delete("gpt-4o")
    deleted = mock.client.models.delete("ft:gpt-4o-mini:acme::abc123")
    assert deleted.deleted is True
