"""Legacy Completions: ``POST /v1/completions`` (JSON or a stream ending in ``data: [DONE]``)."""

from __future__ import annotations

from typing import Any

from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import make_id
from mockapi.core.engine import Call
from mockapi.core.errors import error_for_status
from mockapi.core.results import Stream

from . import generate as tc

FALLBACK_MODEL = "gpt-3.5-turbo-instruct"


def create_completion(call: Call) -> Any:
    """``POST /v1/completions``."""
    model = _model(call)
    items = tc.prompts(call.body)
    if call.faithful:
        tc.check(call.body, model, items)
    canned = call.engine.overrides.find(call.op.path, call.body.get("model"), items[0].text, [])
    if canned and (canned.get("status") or canned.get("error")):
        raise error_for_status(int(canned.get("status") or 500), (canned.get("error") or {}).get("message"))
    digest = call.digest()
    choices, completion_tokens = tc.generate(call.body, items, model, digest)
    if not call.faithful:
        _typed_logprobs(choices)
    if canned and "content" in canned:
        completion_tokens = tc.use_canned(choices, call.body, items, str(canned["content"]), canned.get("finish_reason", "stop"))
    prompt_tokens = sum(p.tokens for p in items)
    call.charged_tokens = prompt_tokens + completion_tokens
    head = {"id": make_id("cmpl-", call.id_digest(), length=29), "created": call.clock.timestamp(), "model": call.body["model"]}
    if call.body.get("stream"):
        include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))
        return Stream(tc.chunks(head, choices, prompt_tokens, completion_tokens, include_usage), dialect="chat",
                      tokens=call.charged_tokens)
    return tc.body(head, choices, prompt_tokens, completion_tokens)


def _typed_logprobs(choices: list[Any]) -> None:
    """Level ``schema`` follows the SDK's types, which have no null for the echoed first token's logprob.

    The real API sends null there (nothing came before it to score it against); the SDK types say a number,
    so spec-mock clients get 0.0 and no alternatives.
    """
    for choice in choices:
        lp = choice.logprobs
        if lp:
            lp["token_logprobs"] = [0.0 if v is None else v for v in lp["token_logprobs"]]
            lp["top_logprobs"] = [{} if v is None else v for v in lp["top_logprobs"]]


def _model(call: Call) -> ModelInfo:
    model_id = call.body.get("model")
    if not call.faithful:
        return call.catalog.find(model_id) if isinstance(model_id, str) and model_id in call.catalog else call.catalog.get(FALLBACK_MODEL)
    tc.check_model(model_id, None)
    model = call.model()
    tc.check_model(model_id, model)
    return model


HANDLERS = {"createCompletion": create_completion}
