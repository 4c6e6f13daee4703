"""Responses as operations on state: create (with its chain or conversation), retrieve, cancel, replay.

Transport-free: it reads a :class:`~mockapi.core.engine.Call` for the store, clock, catalogue and
seed, and returns plain bodies or event lists; the resource module renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockapi.core import outbox, sse
from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import ALNUM, HEX, make_id, rng
from mockapi.core.determinism import digest as make_digest
from mockapi.core.errors import InvalidRequestError, error_for_status
from mockapi.core.jsonutil import canonical_json
from mockapi.core.prompt_cache import MIN_PREFIX, unused
from mockapi.core.repo import Repo

from ..containers import containers
from . import build, caching, events, rules
from .filesearch import searcher
from .generate import Context, Outcome, generate
from .items import listed, resolve_references
from .request import ResponsesRequest, user_turns
from .state import State

QUEUED_SECONDS = 1  # a background response waits this long in ``queued``…
BACKGROUND_SECONDS = 3  # …and is done this long after it was created (advance the clock to get there)
# How the WebSocket door (doors/responses_socket.py) tells a create that it asked for no output (``generate: false``).
GENERATE_HEADER = "x-mockapi-generate"
PROMPT_MODELS = ("gpt-4o", "gpt-5.6")  # the model of a stored prompt (the mock keeps none): without, with reasoning


@dataclass
class Created:
    """The outcome of a create: the body to return, and its stream when one was asked for."""

    body: dict[str, Any]
    events: list[dict[str, Any]] | None
    tokens: int


def create(call: Any) -> Created:
    """``POST /responses``: read the chain or conversation, generate, store, and (maybe) stream."""
    request = ResponsesRequest.parse(call.body)
    model = _model(call)
    if call.faithful:
        rules.check(request, model)
    state = State(call.store, call.tenant)
    history, conversation_id = _history(request, state)
    request.items = resolve_references(request.items, history, state.item)
    state.check_items_stored(request.items, store=request.body.get("store") is not False)
    context = history + request.items
    ends: list[int] = []  # where the prompt cache cuts prefixes
    prompt_tokens = build.input_tokens(request, context, ends)
    while request.body.get("truncation") == "auto" and prompt_tokens > model.context_window and history:
        history = history[1:]  # truncation "auto" drops the oldest items until the context fits
        context = history + request.items
        ends = []
        prompt_tokens = build.input_tokens(request, context, ends)
    if call.faithful:
        rules.check_context(request, history, prompt_tokens, model)
    turns = user_turns(context)
    canned = _canned(call, request, turns)
    # The chain's canonical JSON digests as the list itself would (digest writes a list with the same canonical
    # encoder), from orjson rather than the standard encoder, and as text (it is ASCII): digest's one-join path.
    chain = canonical_json([i.get("id") for i in history]).decode("ascii") if history else "[]"  # most chains are empty
    ident = make_digest(call.digest(), chain)
    # A WebSocket ``response.create`` with ``generate: false`` "prepare[s] request state without model output"
    # (the SDK's ResponseCreate.generate); its door says so in a header of its own.
    if call.request.headers.get(GENERATE_HEADER) == "false":
        outcome = Outcome()
    else:
        outcome = generate(request, Context(history, model, ident, canned, searcher(call), turns))
    # An identical request says the same, with its own ids (the first of them is its own identity already).
    identity = ident if call.id_digest() == call.digest() else make_digest(call.id_digest(), chain)
    if identity != ident:
        _own_ids(outcome.output, identity)
    if request.hosted:  # a code interpreter's containers: containers.retrieve finds them
        containers.register_from_output(Repo(call), call.body.get("tools") or [], outcome.output)
    now = call.clock.timestamp()
    response_id = make_id("resp_", identity, length=50, alphabet=HEX)
    # An input shorter than the cache's minimum prefix can neither read nor write it: one comparison.
    cache = unused(model) if prompt_tokens < MIN_PREFIX else caching.settle(call, request, model, context, prompt_tokens, ends)
    final = build.finish(build.head(request, response_id, now, conversation_id=conversation_id,
                                  default_effort=model.default_effort), outcome, prompt_tokens, now, cache)
    input_items = [listed(item, _input_item_ids(identity, k)) for k, item in enumerate(request.items)]
    background = bool(call.body.get("background"))
    streamed = bool(call.body.get("stream"))
    record: dict[str, Any] = {"response": final, "input_items": input_items, "parent": call.body.get("previous_response_id")}
    if background and not streamed:
        record.update(response=build.pending(final, "queued"), final=final, ready_at=now + BACKGROUND_SECONDS)
    if final["store"]:
        state.save(record)
    else:
        state.note_unstored(final, call.engine.limits.max_unstored_responses)
    if conversation_id:
        state.add_items(conversation_id, input_items + outcome.output)
    if background:  # its webhook event waits for the instant it finishes (mockapi/core/outbox.py)
        done_at = now if streamed else now + BACKGROUND_SECONDS
        outbox.publish(call.engine, call.tenant, f"response.{final['status']}", response_id, due=done_at, created_at=done_at)
    tokens = prompt_tokens + outcome.output_tokens
    # Text deltas carry an ``obfuscation`` padding unless the client turned it off (stream_options.include_obfuscation,
    # "included by default"), drawn apart from the stream's other randomness.
    obfuscated = (call.body.get("stream_options") or {}).get("include_obfuscation") is not False
    pads = sse.paddings(call.rng("obfuscation")) if streamed and obfuscated else None
    stream = events.lifecycle(final, call.rng("stream"), queued=background, pads=pads) if streamed else None
    return Created(record["response"], stream, tokens)


def _own_ids(output: list[dict[str, Any]], identity: str) -> None:
    """Give the output items of a repeated request ids of its own (same prefix and length), call ids too."""
    for k, item in enumerate(output):
        for field_name in ("id", "call_id"):
            old = item.get(field_name)
            if isinstance(old, str) and "_" in old:
                prefix = old[:old.index("_") + 1]
                digits = old[len(prefix):]
                alphabet = HEX if digits and all(c in HEX for c in digits) else ALNUM  # item ids hex, call ids base 62
                item[field_name] = make_id(prefix, identity, field_name, k, length=len(digits), alphabet=alphabet)


def _model(call: Any) -> ModelInfo:
    if not call.body.get("model") and call.body.get("prompt"):
        # A stored prompt names its model, so a request with `prompt` may leave `model` out (the openai-agents
        # examples' prompt templates do). The mock keeps no prompts: a model that takes the request's settings
        # stands in (one that reasons, at every effort, when they ask for reasoning).
        call.body["model"] = PROMPT_MODELS[bool(call.body.get("reasoning"))]
    if call.faithful:
        if not call.body.get("model"):
            raise InvalidRequestError("Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
        return call.model(kinds=("chat",))
    return call.catalog.find(str(call.body.get("model") or "")) or call.catalog.get("gpt-4o")


def _history(request: ResponsesRequest, state: State) -> tuple[list[dict[str, Any]], str | None]:
    body = request.body
    if body.get("previous_response_id"):
        return state.chain(body["previous_response_id"]), None
    conversation = body.get("conversation")
    if conversation:
        conversation_id = conversation if isinstance(conversation, str) else conversation.get("id")
        state.conversation(conversation_id, param="conversation")
        return list(state.conversation_items(conversation_id)), conversation_id
    return [], None


def _canned(call: Any, request: ResponsesRequest, turns: list[str]) -> Any:
    canned = call.engine.overrides.find(call.op.path, request.model, turns[-1] if turns else "", [t.name for t in request.functions])
    # An ``error`` with a ``status`` is an HTTP error; an ``error`` alone is a response that failed (status 200).
    if canned and (canned.get("status") or canned.get("fault")):
        raise error_for_status(int(canned.get("status") or 500), (canned.get("error") or {}).get("message"))
    return canned


def current(call: Any, state: State, response_id: str) -> dict[str, Any]:
    """A stored response as it stands now: a background one moves on with the clock."""
    record = state.require(response_id)
    final = record.get("final")
    body = record["response"]
    if final is None or body["status"] in ("completed", "incomplete", "failed", "cancelled"):
        return body
    elapsed = call.clock.timestamp() - body["created_at"]
    if elapsed >= BACKGROUND_SECONDS:
        record = {**record, "response": final}
        state.save(record)
        return final
    status = "in_progress" if elapsed >= QUEUED_SECONDS else "queued"
    if status != body["status"]:
        state.save({**record, "response": build.pending(final, status)})
    return build.pending(final, status)


def cancel(call: Any, state: State, response_id: str) -> dict[str, Any]:
    """``POST /responses/{id}/cancel``: only a background response that has not finished can be cancelled."""
    body = current(call, state, response_id)
    record = state.require(response_id)
    if not body.get("background"):
        raise InvalidRequestError("Only responses created with background=true can be cancelled.", param="response_id")
    if body["status"] == "cancelled":
        return body
    if body["status"] != "queued" and body["status"] != "in_progress":
        raise InvalidRequestError(f"Cannot cancel a response with status '{body['status']}'.", param="response_id")
    cancelled = build.pending(body, "cancelled")
    state.save({**record, "response": cancelled, "final": None})
    outbox.withdraw(call.engine, f"response.{record['final']['status']}", response_id)
    outbox.publish(call.engine, call.tenant, "response.cancelled", response_id)
    return cancelled


def replay(call: Any, body: dict[str, Any], starting_after: int | None, *, obfuscated: bool = True) -> list[dict[str, Any]]:
    """The stream of a stored response (``GET …?stream=true``), after ``starting_after`` if given."""
    pads = sse.paddings(rng(call.seed, "replay-obfuscation", body["id"])) if obfuscated else None
    stream = events.lifecycle(body, rng(call.seed, "replay", body["id"]), queued=bool(body.get("background")), pads=pads)
    return [e for e in stream if starting_after is None or e["sequence_number"] > starting_after]


def _input_item_ids(identity: str, k: int) -> Callable[[str], str]:
    """New ids for the ``k``-th input item of the response ``identity``, by the item's prefix."""
    def new_id(prefix: str) -> str:
        return make_id(prefix, identity, "input", k, length=50, alphabet=HEX)
    return new_id
