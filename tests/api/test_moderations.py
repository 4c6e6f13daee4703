"""Moderations: deterministic, category-consistent results through the SDK, in both modes."""

from __future__ import annotations

import openai
import pytest


def test_harmless_text_is_not_flagged(mock):
    r = mock.client.moderations.create(input="What a lovely day for a walk in the park.")
    mock.validate("createModeration", r)
    assert r.id.startswith("modr-") and r.model == "omni-moderation-latest"
    result = r.results[0]
    assert not result.flagged and max(result.category_scores.model_dump().values()) < 0.01


def test_violent_text_is_flagged_in_its_category(mock):
    r = mock.client.moderations.create(model="omni-moderation-latest", input=["I will kill them all", "hello"])
    first, second = r.results
    assert first.flagged and first.categories.violence and first.category_scores.violence > 0.5
    assert not first.categories.sexual and not second.flagged


def test_same_input_same_scores_and_images_apply(mock):
    parts = [{"type": "text", "text": "a photo"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]
    one = mock.client.moderations.create(model="omni-moderation-latest", input=parts)
    two = mock.client.moderations.create(model="omni-moderation-latest", input=parts)
    assert one.id != two.id  # two calls, two moderation objects…
    assert one.model_dump(exclude={"id"}) == two.model_dump(exclude={"id"})  # …with the same scores
    assert "image" in one.results[0].category_applied_input_types.violence


def test_text_models_refuse_images_and_unknown_models_404(mock):
    with pytest.raises(openai.BadRequestError):
        mock.client.moderations.create(model="text-moderation-latest", input=[{"type": "image_url", "image_url": {"url": "https://x/y.png"}}])
    with pytest.raises(openai.NotFoundError):
        mock.client.moderations.create(model="nope", input="hi")


def test_a_threat_to_make_someone_suffer_is_flagged_as_threatening(mock):
    """instructor's openai_moderation validator test sends this sentence and expects it flagged."""
    result = mock.client.moderations.create(model="omni-moderation-latest",
                                            input="I want to make them suffer the consequences").results[0]
    assert result.flagged and result.categories.harassment_threatening
