"""Moderations: classify inputs deterministically."""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import make_id
from mockapi.core.engine import Call
from mockapi.core.tokenizer import count_value_tokens

from . import scores as moderation


def create_moderation(call: Call) -> dict[str, Any]:
    """``POST /v1/moderations``."""
    model = call.model(kinds=("moderation",)) if call.body.get("model") else call.catalog.get("omni-moderation-latest")
    if model.id.startswith("text-moderation") and not all(isinstance(v, str) for v in _as_list(call.body["input"])):
        from mockapi.core.errors import InvalidRequestError

        raise InvalidRequestError(f"Model {model.id} accepts text only; use an omni-moderation model for images.", param="input")
    results = [moderation.classify(text, image, call.rng("moderation", k))
               for k, (text, image) in enumerate(moderation.inputs(call.body["input"]))]
    call.charged_tokens = count_value_tokens(call.body["input"])
    return {"id": make_id("modr-", call.id_digest(), length=24), "model": call.body.get("model") or model.id, "results": results}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


HANDLERS = {"createModeration": create_moderation}
