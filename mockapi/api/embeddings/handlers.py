"""Embeddings: ``POST /v1/embeddings`` (reference §8, seed-inventory E3 and §2.9)."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    InvalidValueError,
    MaxTokensPerRequestError,
)

from . import embed as embedding


def create_embedding(call: Call) -> dict[str, Any]:
    """``POST /v1/embeddings``: one vector per input, in input order."""
    body = call.body
    model = call.model(kinds=("embedding",))
    size = model.dimensions or 1536
    dimensions = _dimensions(body.get("dimensions"), model.id, size, model.reducible)
    inputs = _inputs(body["input"])
    counts = [embedding.count_input_tokens(item) for item in inputs]
    _check_tokens(counts)
    space = model.base or model.id
    # Spec mocks answer with the response type's float lists whatever the format, and generated SDK
    # suites validate the raw body strictly before decoding; the `schema` level does the same.
    as_base64 = body.get("encoding_format") == "base64" and call.faithful
    data = []
    for index, item in enumerate(inputs):
        vector = embedding.embed(space, item, size)
        if dimensions is not None and dimensions < size:
            vector = embedding.shorten(vector, dimensions)
        value: Any = embedding.encode_base64(vector) if as_base64 else vector
        data.append({"object": "embedding", "index": index, "embedding": value})
    total = sum(counts)
    call.charged_tokens = total
    return {"object": "list", "data": data, "model": model.id, "usage": {"prompt_tokens": total, "total_tokens": total}}


def _dimensions(value: Any, model_id: str, size: int, reducible: bool) -> int | None:
    if value is None:
        return None
    if not reducible:
        # source: {"message": "This model does not support specifying dimensions.", "type": "invalid_request_error",
        # "param": null, "code": null} on text-embedding-ada-002 (github.com/SciPhi-AI/R2R/pull/768, 2024-07;
        # github.com/sbintuitions/JMTEB/pull/14; still so in github.com/embeddings-benchmark/mteb/issues/3687, 2025-12)
        raise InvalidRequestError("This model does not support specifying dimensions.")
    if value < 1 or value > size:
        # uncited: no public report quotes this 400 (searched); the range is the model's own, kept; wording unverified
        raise InvalidValueError(
            f"Invalid value for 'dimensions' = {value}. Must be between 1 and {size} for {model_id}.", param="dimensions")
    return int(value)


def _inputs(value: Any) -> list[embedding.Input]:
    inputs = embedding.normalize_input(value)
    # Backstops: the contract refuses these shapes first (with its own bodies, in mockapi/core); the real answer to
    # an empty string is the generic "'$.input' is invalid. Please check the API reference: ..." with param and
    # code null (github.com/openai/openai-python/issues/576, github.com/aryn-ai/sycamore/pull/943).
    if not inputs:
        raise InvalidRequestError("'$.input' is invalid: it must not be an empty array.", param="input")
    if len(inputs) > embedding.MAX_INPUTS:
        raise InvalidRequestError(
            f"'$.input' is invalid: at most {embedding.MAX_INPUTS} inputs are allowed, got {len(inputs)}.", param="input")
    for index, item in enumerate(inputs):
        if isinstance(item, str) and not item:
            raise InvalidRequestError(f"'$.input[{index}]' is invalid: the input must not be an empty string.", param="input")
        if not isinstance(item, str) and (not item or any(not isinstance(t, int) or t < 0 for t in item)):
            raise InvalidRequestError(f"'$.input[{index}]' is invalid: expected a non-empty list of token ids.", param="input")
    return inputs


def _check_tokens(counts: list[int]) -> None:
    for count in counts:
        if count > embedding.MAX_INPUT_TOKENS:
            # source: the wording (github.com/sugarforever/chat-ollama/issues/130, github.com/fierceX/Document_QA/issues/3);
            # param not quoted there
            raise ContextLengthExceededError(
                f"This model's maximum context length is {embedding.MAX_INPUT_TOKENS} tokens, however you requested "
                f"{count} tokens ({count} in your prompt; 0 for the completion). "
                "Please reduce your prompt; or completion length.",
                param="input")
    total = sum(counts)
    if total > embedding.MAX_REQUEST_TOKENS:
        raise MaxTokensPerRequestError(f"Requested {total} tokens, max {embedding.MAX_REQUEST_TOKENS} tokens per request")


HANDLERS = {"createEmbedding": create_embedding}
