"""Chat Completions: create (JSON or stream) and the stored-completion endpoints."""

from __future__ import annotations

import functools
from typing import Any

from mockapi.content.reasoning import reasoning_tokens
from mockapi.core import sse
from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import TRANSPORT_FIELDS, make_id, request_digest
from mockapi.core.determinism import digest as make_digest
from mockapi.core.engine import Call
from mockapi.core.errors import NotFoundError
from mockapi.core.pagination import paginate
from mockapi.core.prompt_cache import MIN_PREFIX, forget, unused
from mockapi.core.results import Stream

from . import audio as chat_audio
from . import caching, render, rules
from . import generate as gen
from . import search as chat_search
from .request import ChatRequest

_KIND = "chat.completion"
_SHAPING_FIELDS = frozenset({"stream", "stream_options", "user", "metadata", "store", "safety_identifier", "stop",
                             "max_tokens", "max_completion_tokens", "logprobs", "top_logprobs", "n", "service_tier",
                             "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options",
                             "audio"})  # the voice and file format of audio output don't change the words


def create_chat_completion(call: Call) -> Any:
    """``POST /v1/chat/completions``."""
    request = ChatRequest.parse(call.body)
    model = _model(call)
    if call.faithful:
        rules.check(request, model)
        chat_audio.check(request, model)
    canned = call.engine.overrides.find(call.op.path, call.body.get("model"), request.last_user_text(), [t.name for t in request.tools])
    if canned and (canned.get("status") or canned.get("error") or canned.get("fault")):
        from mockapi.core.errors import error_for_status

        raise error_for_status(int(canned.get("status") or 500), (canned.get("error") or {}).get("message"))
    # The text comes from the question alone; stop, limits and logprobs only shape what is returned,
    # so a request with `stop` or `max_tokens` gets a prefix of the same answer. Ids also depend on
    # the shaping fields (minus transport ones), hashed on top so the body is serialised once.
    content_digest = request_digest(call.seed, call.op.operation_id, call.body, ignore=_SHAPING_FIELDS)
    shaping = {k: v for k, v in call.body.items() if k in _SHAPING_FIELDS and k not in TRANSPORT_FIELDS}
    digest = call.meta["digest"] = make_digest(content_digest, shaping) if shaping else content_digest
    identity = call.id_digest()  # the n-th identical request is its own object: same answer, new ids
    choices = gen.generate(request, content_digest, canned, ids_from=identity)
    if chat_search.searches(model) or call.body.get("web_search_options") is not None:
        r = call.rng("search")
        for choice in choices:
            chat_search.annotate(choice, request.last_user_text(), f"{digest}:{choice.index}", r, int(call.body.get("top_logprobs") or 0))
    if chat_audio.wanted(call.body):
        _speak(choices, call, identity)
    prompt_tokens = request.prompt_tokens()
    # A prompt shorter than the cache's minimum prefix can neither read nor write it: one comparison.
    cache = unused(model) if prompt_tokens < MIN_PREFIX else caching.settle(call, request, model)
    head = {
        "id": make_id("chatcmpl-", identity, length=29),
        "created": call.clock.timestamp(),
        "model": call.body["model"],
        "system_fingerprint": _fingerprint(call.seed, model.id),
        "service_tier": _service_tier(call.body.get("service_tier")),
    }
    reasoning = _reasoning_tokens(call, model, choices)
    call.charged_tokens = prompt_tokens + sum(c.completion_tokens for c in choices) + reasoning
    body = render.completion(head, choices, prompt_tokens, reasoning, cache)
    call.meta["usage"] = body["usage"]  # what the usage recorder counts for a stream (the same as its usage chunk)
    if call.body.get("store"):
        _store(call, body)
    if call.body.get("stream"):
        options = call.body.get("stream_options") or {}
        # Each chunk carries an ``obfuscation`` padding unless the client turned it off (ChatCompletionChunk.obfuscation:
        # "included by default and omitted when stream_options.include_obfuscation is false"), drawn apart from the
        # stream's other randomness so that the chunks' contents are what they would be without it.
        pads = sse.paddings(call.rng("obfuscation")) if options.get("include_obfuscation") is not False else None
        events = render.chunks(head, choices, prompt_tokens, include_usage=bool(options.get("include_usage")), r=call.rng("stream"),
                               reasoning_tokens=reasoning, pads=pads, cache=cache)
        return Stream(events, dialect="chat", tokens=call.charged_tokens)
    return body


def _reasoning_tokens(call: Call, model: ModelInfo, choices: list[gen.Choice]) -> int:
    """Reasoning tokens over all choices, kept within ``max_completion_tokens`` with the visible answer."""
    effort = call.body.get("reasoning_effort")
    if not model.reasons(effort):
        return 0  # spends nothing: no need to seed an RNG for it
    r = call.rng("reasoning")
    spent = sum(reasoning_tokens(model, effort, r) for _ in choices)
    limit = call.body.get("max_completion_tokens")
    if isinstance(limit, int):
        spent = min(spent, max(0, limit - sum(c.completion_tokens for c in choices)))
    return spent


def _speak(choices: list[gen.Choice], call: Call, digest: str) -> None:
    """Turn each text answer into spoken audio: content moves to ``audio.transcript``."""
    for choice in choices:
        if choice.content is not None:
            choice.audio, choice.audio_tokens = chat_audio.speak(choice.content, call.body, digest, choice.index, call.clock.timestamp())
            choice.content = None


def _model(call: Call) -> ModelInfo:
    if call.faithful:
        model = call.model(kinds=("chat",))
        return model
    return call.catalog.find(call.body.get("model")) or call.catalog.get("gpt-4o")


@functools.lru_cache(maxsize=256)
def _fingerprint(seed: int, model_id: str) -> str:
    """The ``system_fingerprint``: fixed per seed and model, as a backend configuration would be."""
    return "fp_" + make_digest(seed, model_id)[:10]


def _service_tier(asked: str | None) -> str:
    return asked if asked in ("flex", "scale", "priority") else "default"


def _store(call: Call, body: dict[str, Any]) -> None:
    stored = {**body, "metadata": call.body.get("metadata") or {}, "request_id": call.request_id}
    messages = []
    for k, message in enumerate(call.body.get("messages") or []):
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        messages.append({"id": f"{body['id']}-{k}", "role": message.get("role"), "content": content, "name": message.get("name")})
    call.store.put(call.tenant, _KIND, body["id"], stored)
    call.store.put(call.tenant, _KIND + ".messages", body["id"], {"id": body["id"], "messages": messages})


def _public(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k != "request_id"}


def _get(call: Call) -> dict[str, Any]:
    completion_id = call.path_params["completion_id"]
    found = call.store.get(call.tenant, _KIND, completion_id)
    if found is None:
        raise NotFoundError(f"No chat completion found with id '{completion_id}'.", param="completion_id")
    return found


def list_chat_completions(call: Call) -> dict[str, Any]:
    """``GET /v1/chat/completions``: stored completions, filtered by model and metadata."""
    items = call.store.list(call.tenant, _KIND)
    if call.query.get("model"):
        items = [c for c in items if c["model"] == call.query["model"]]
    wanted = {k[len("metadata["):-1]: v for k, v in call.query.items() if k.startswith("metadata[")}
    items = [c for c in items if all((c.get("metadata") or {}).get(k) == v for k, v in wanted.items())]
    page = paginate(items, call.query, default_order="asc", cursor_kind="chat completion")
    page["data"] = [_public(c) for c in page["data"]]
    return page


def get_chat_completion(call: Call) -> dict[str, Any]:
    """``GET /v1/chat/completions/{id}``."""
    return _public(_get(call))


def update_chat_completion(call: Call) -> dict[str, Any]:
    """``POST /v1/chat/completions/{id}``: only metadata can change."""
    found = _get(call)
    updated = {**found, "metadata": call.body.get("metadata") or {}}
    call.store.put(call.tenant, _KIND, found["id"], updated)
    return _public(updated)


def delete_chat_completion(call: Call) -> dict[str, Any]:
    """``DELETE /v1/chat/completions/{id}``."""
    found = _get(call)
    call.store.delete(call.tenant, _KIND, found["id"])
    call.store.delete(call.tenant, _KIND + ".messages", found["id"])
    return {"id": found["id"], "object": "chat.completion.deleted", "deleted": True}


def get_chat_completion_messages(call: Call) -> dict[str, Any]:
    """``GET /v1/chat/completions/{id}/messages``."""
    found = _get(call)
    messages = (call.store.get(call.tenant, _KIND + ".messages", found["id"]) or {}).get("messages", [])
    return paginate(messages, call.query, default_order="asc", cursor_kind="message")


ON_RESET = forget  # the prompt cache a tenant reads is its organization's, kept apart from the tenant's own state
HANDLERS = {
    "createChatCompletion": create_chat_completion,
    "listChatCompletions": list_chat_completions,
    "getChatCompletion": get_chat_completion,
    "updateChatCompletion": update_chat_completion,
    "deleteChatCompletion": delete_chat_completion,
    "getChatCompletionMessages": get_chat_completion_messages,
}
