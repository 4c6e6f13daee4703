"""What the Responses family remembers of ``store: false`` responses is bounded (issue 14): ids only, for the
latest ``limits.max_unstored_responses`` per tenant, and what users rely on still works for those."""

from __future__ import annotations

import openai
import pytest
from conftest import API_KEY

from mockapi.api.responses.state import DROPPED, DROPPED_SLOT, RESPONSE
from mockapi.core.limits import RequestLimits

CAP = 3


@pytest.fixture
def capped(mock, monkeypatch):
    """The mock (both doors) remembering at most ``CAP`` unstored responses per tenant."""
    monkeypatch.setattr(mock.engine, "limits", RequestLimits.from_config({"max_unstored_responses": CAP}))
    return mock


def _kept(mock, kind: str) -> int:
    tenant, _ = mock.engine.authenticate({"authorization": f"Bearer {API_KEY}"})
    return len(mock.engine.store.list(tenant, kind))


def _unstored(mock, n: int) -> list:
    return [mock.client.responses.create(model="o4-mini", input=f"Plan trip number {i}.", store=False) for i in range(n)]


def _follow_up_error(mock, response_id: str) -> dict:
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.responses.create(model="o4-mini", input="And then?", previous_response_id=response_id)
    return info.value.body if "message" in info.value.body else info.value.body["error"]


def test_memory_of_unstored_responses_stays_bounded(capped):
    made = _unstored(capped, 4 * CAP + 1)
    assert all(r.output[0].type == "reasoning" for r in made)
    # The response id and its reasoning item's id, for the latest CAP responses only; nothing else of them.
    assert _kept(capped, DROPPED) == 2 * CAP and _kept(capped, DROPPED_SLOT) == CAP
    assert _kept(capped, RESPONSE) == 0
    _unstored(capped, CAP + 2)
    assert _kept(capped, DROPPED) == 2 * CAP and _kept(capped, DROPPED_SLOT) == CAP


def test_the_latest_unstored_responses_are_still_explained(capped):
    made = _unstored(capped, 2 * CAP)
    error = _follow_up_error(capped, made[-1].id)
    assert error["code"] == "previous_response_not_found" and "store=false" in error["message"]
    # Its reasoning item sent back by id alone, in a stored request: the real 404 naming the item.
    history = [{"role": "user", "content": "Plan trip."}, made[-1].output[0].model_dump(exclude_none=True),
               {"role": "user", "content": "Shorter."}]
    with pytest.raises(openai.NotFoundError) as info:
        capped.client.responses.create(model="o4-mini", input=history)
    assert made[-1].output[0].id in str(info.value.body) and "store" in str(info.value.body)


def test_a_forgotten_unstored_response_is_an_unknown_id(capped):
    """Past the cap the oldest is forgotten: still refused as the real API refuses an unknown id, minus the hint."""
    made = _unstored(capped, 2 * CAP)
    error = _follow_up_error(capped, made[0].id)
    assert error["code"] == "previous_response_not_found" and made[0].id in error["message"]
    assert "store=false" not in error["message"]
    # In a store:false request, a reasoning item the server never kept is refused whatever the memory holds.
    history = [{"role": "user", "content": "Plan trip."}, made[0].output[0].model_dump(exclude_none=True)]
    with pytest.raises(openai.NotFoundError):
        capped.client.responses.create(model="o4-mini", input=history, store=False)


def test_the_cap_is_configured_under_limits():
    assert RequestLimits().max_unstored_responses == 10_000
    assert RequestLimits.from_config({"max_unstored_responses": 5}).max_unstored_responses == 5
    with pytest.raises(ValueError):
        RequestLimits.from_config({"max_unstored_responses": 0})
