"""Reasoning models: the parameter rules their catalogue entries imply, and the reasoning tokens they spend.

The rules are table-driven from :class:`~mockapi.core.catalog.ModelInfo` (``reasoning_efforts``,
``sampling``, ``reasoning``); chat and Responses call them with their own parameter names.
Each message is one the real API returns (sources beside each rule).
"""

from __future__ import annotations

import random
from typing import Any, Mapping

from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import between
from mockapi.core.errors import InvalidRequestError, PermissionDeniedError

# Reasoning tokens per effort: bands that do not overlap, so more effort always spends more.
_EFFORT_TOKENS = {"none": (0, 0), "minimal": (8, 48), "low": (64, 190), "medium": (192, 510), "high": (512, 1500),
                  "xhigh": (1536, 3000), "max": (3072, 6000)}


def reasoning_tokens(model: ModelInfo, asked: Any, r: random.Random) -> int:
    """The reasoning tokens one answer of ``model`` spends at effort ``asked`` (0 when it does not reason)."""
    if not model.reasons(asked):
        return 0
    low, high = _EFFORT_TOKENS.get(str(model.effort(asked)), _EFFORT_TOKENS["medium"])
    return between(r, low, high)


def _quoted(values: tuple[str, ...]) -> str:
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + ("," if len(quoted) > 2 else "") + f" and {quoted[-1]}"


def check_effort(model: ModelInfo, asked: Any, param: str) -> None:
    """Refuse an effort the model does not take; ``param`` is ``reasoning_effort`` (chat) or ``reasoning.effort``."""
    if asked is None:
        return
    chat = param == "reasoning_effort"
    if not model.reasoning_efforts:
        if chat and not model.reasoning:
            # source: observed on gpt-4o-mini (github.com/davidmigloz/langchain_dart/issues/712)
            raise InvalidRequestError("Unrecognized request argument supplied: reasoning_effort")
        # source: observed on gpt-4o and gpt-4.1 with Responses (github.com/RageAgainstThePixel/OpenAI-DotNet/issues/500,
        # github.com/BoundaryML/baml/pull/2708); the chat wording for o1-mini follows the same pattern.
        raise InvalidRequestError(f"Unsupported parameter: '{param}' is not supported with this model.", param=param,
                                  code="unsupported_parameter")
    if asked not in model.reasoning_efforts:
        supported = _quoted(model.reasoning_efforts)
        if chat:
            # source: observed on gpt-5.2-chat-latest (github.com/egoist/chatwise-releases/issues/1257)
            message = f"Unsupported value: 'reasoning_effort' does not support '{asked}' with this model. Supported values are: {supported}."
        else:
            # source: observed on gpt-5.1 (github.com/openai/openai-agents-python/issues/2089)
            message = f"Unsupported value: '{asked}' is not supported with the '{model.id}' model. Supported values are: {supported}."
        raise InvalidRequestError(message, param=param, code="unsupported_value")


def check_sampling(model: ModelInfo, body: Mapping[str, Any], asked: Any, *, chat: bool) -> None:
    """While a reasoning model reasons, only the default sampling is allowed.

    GPT-5.1 and later at effort ``none`` do not reason and accept temperature, top_p and logprobs
    (https://platform.openai.com/docs/guides/latest-model, quoted in github.com/vercel/ai/issues/10932).
    """
    if model.sampling or not model.reasons(asked):
        return
    for name in ("temperature", "top_p"):
        value = body.get(name)
        if value is not None and value != 1:
            # source: observed on gpt-5, gpt-5.4, o3-mini (github.com/diffbot/code-gpt-docs/issues/445,
            # github.com/johny-b/llmcomp/issues/69, github.com/confident-ai/deepeval/issues/1358)
            raise InvalidRequestError(f"Unsupported value: '{name}' does not support {_number(value)} with this model. "
                                      "Only the default (1) value is supported.", param=name, code="unsupported_value")
    if not chat:
        return
    for name in ("presence_penalty", "frequency_penalty"):
        if body.get(name):  # 0 is the default; whether an explicit 0 is refused is not documented, so it passes
            # source: observed on gpt-5-mini and o4-mini (github.com/nextai-translator/nextai-translator/issues/1781,
            # github.com/transitive-bullshit/agentic/issues/709)
            raise InvalidRequestError(f"Unsupported parameter: '{name}' is not supported with this model.", param=name,
                                      code="unsupported_parameter")
    if body.get("logprobs"):
        # source: observed on o4-mini, a 403 with no param or code (github.com/confident-ai/deepeval/pull/2184)
        error = PermissionDeniedError("You are not allowed to request logprobs from this model")
        error.code = None
        raise error


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else str(value)
